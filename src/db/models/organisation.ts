import { Schema } from 'mongoose';
import type { Contact, ContactKind, LogoInfo, OrgProfileValues, Region } from '../../domain/org-profile.js';

/** The organisation profile (`_id = org-profile`, one document; domain/org-profile.ts says what it holds). */
export interface OrgProfileDoc extends OrgProfileValues {
  _id: string;
  contacts: Record<ContactKind, Contact>;
  regions: Region[];
  logo: LogoInfo | null;
  updatedAt: Date;
  updatedBy: string;
}

export const orgProfileSchema = new Schema<OrgProfileDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    shortName: { type: String, required: true },
    brandColour: { type: String, required: true },
    contacts: { type: Schema.Types.Mixed, required: true },
    clientListUrl: { type: String, required: true },
    regions: { type: [String], default: [] },
    defaultLanguage: { type: String, default: '' },
    logo: { type: Schema.Types.Mixed, default: null },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'org_profile', versionKey: false, minimize: false },
);

/**
 * Logo bytes, apart from the profile so that every page's profile read stays small. `_id = org-logo`
 * for the saved logo; a pending logo (between preview and save) is `org-logo-draft:<draftId>`.
 */
export interface OrgLogoDoc {
  _id: string;
  contentType: LogoInfo['contentType'];
  sha256: string;
  data: Buffer;
  createdAt: Date;
}

export const orgLogoSchema = new Schema<OrgLogoDoc>(
  {
    _id: { type: String, required: true },
    contentType: { type: String, required: true },
    sha256: { type: String, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'org_logos', versionKey: false },
);

/** An admin's checked but unsaved profile (`_id` random), shown on the preview page; expires in an hour. */
export interface OrgProfileDraftDoc {
  _id: string;
  createdBy: string;
  createdAt: Date;
  values: OrgProfileValues;
  /** The pending logo (its bytes in org_logos), or null to keep the saved one. */
  logo: LogoInfo | null;
}

export const orgProfileDraftSchema = new Schema<OrgProfileDraftDoc>(
  {
    _id: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    values: { type: Schema.Types.Mixed, required: true },
    logo: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'org_profile_drafts', versionKey: false, minimize: false },
);
