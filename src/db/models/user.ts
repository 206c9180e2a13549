import { Schema } from 'mongoose';

import { REGIONS, type Region } from '../../domain/org-profile.js';
import { ROLES, type Role } from '../../domain/roles.js';

export interface UserDoc {
  /** Hex ObjectId string: a stable natural key used inside composite ids such as `<userId>:<courseId>`. */
  _id: string;
  /** Stored lower-cased, so the unique index makes e-mail case-insensitive. */
  email: string;
  name: string;
  employeeId?: string;
  department: string;
  managerId?: string | null;
  role: Role;
  active: boolean;
  /** The person's chosen language (a shipped code, domain/i18n/languages.ts), '' when never chosen. */
  locale: string;
  hireDate?: Date | null;
  /** Where the person works (a profile region): narrows the jurisdiction notices they see. */
  region?: Region | null;
  passwordHash?: string;
  /** Single sign-on: `<issuer>|<sub>`, the provider's stable id for this person (absent until linked). */
  ssoSubject?: string;
  /** The identity provider's id for this person (SCIM `externalId`); the SCIM `id` is `_id`. */
  externalId?: string | null;
  /**
   * When the person left (was deactivated, by HR, a CSV import or SCIM); cleared when reactivated.
   * The records retention period runs from it (domain/retention.ts).
   */
  leftAt?: Date | null;
  /** Set when the person was erased (services/privacy/erase.ts): their personal fields are a pseudonym. */
  erasedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    employeeId: { type: String, trim: true },
    department: { type: String, default: '' },
    managerId: { type: String, default: null },
    role: { type: String, enum: ROLES, default: 'employee' },
    active: { type: Boolean, default: true },
    locale: { type: String, default: '' },
    hireDate: { type: Date, default: null },
    region: { type: String, enum: [...REGIONS, null], default: null },
    passwordHash: { type: String },
    ssoSubject: { type: String },
    externalId: { type: String, default: null },
    leftAt: { type: Date, default: null },
    erasedAt: { type: Date, default: null },
  },
  { collection: 'users', timestamps: true, versionKey: false },
);
userSchema.index({ email: 1 }, { unique: true });
// Unique only when present: MongoDB honours `sparse`; FerretDB/SQLite treats missing values as distinct.
userSchema.index({ employeeId: 1 }, { unique: true, sparse: true });
// One person per provider subject; absent (not linked) is not a value, as for employeeId.
userSchema.index({ ssoSubject: 1 }, { unique: true, sparse: true });

/**
 * Login lookup keyed by e-mail. FerretDB only uses an index for `_id`, so the hot
 * login path reads this document by `_id` instead of scanning users by e-mail.
 */
export interface LoginKeyDoc {
  _id: string;
  userId: string;
}

export const loginKeySchema = new Schema<LoginKeyDoc>(
  { _id: { type: String, required: true }, userId: { type: String, required: true } },
  { collection: 'login_keys', versionKey: false },
);
