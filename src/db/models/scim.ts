import { Schema } from 'mongoose';
import type { StoredGroup } from '../../domain/scim/group-resource.js';

/**
 * A SCIM bearer token. The secret is shown once by `scim:token` and only its SHA-256 is kept:
 * the secret is 32 random bytes, so a fast hash is enough (nothing to brute-force), and the hot
 * path reads the token by `_id` (the id is part of the bearer value).
 */
export interface ScimTokenDoc {
  _id: string;
  secretHash: string;
  label: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export const scimTokenSchema = new Schema<ScimTokenDoc>(
  {
    _id: { type: String, required: true },
    secretHash: { type: String, required: true },
    label: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { collection: 'scim_tokens', versionKey: false },
);

/**
 * A SCIM Group as the identity provider pushed it: a name and its members (person ids). Stored as
 * it is rather than mapped onto departments: a person has one department (set by the enterprise
 * extension) but belongs to many IdP groups ("All staff", "Managers"…), so a group push must not
 * move people between departments.
 */
/** The stored group is the domain's shape (domain/scim/group-resource.ts maps it to and from SCIM). */
export type ScimGroupDoc = StoredGroup;

export const scimGroupSchema = new Schema<ScimGroupDoc>(
  {
    _id: { type: String, required: true },
    displayName: { type: String, required: true },
    externalId: { type: String, default: null },
    members: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'scim_groups', versionKey: false },
);
scimGroupSchema.index({ displayName: 1 }, { unique: true });

/**
 * A person SCIM deleted. RFC 7644 §3.6 lets the provider keep the resource but requires 404 for it
 * afterwards; the person stays (deactivated, records kept) and this mark hides them from SCIM.
 */
export interface ScimDeletedDoc {
  _id: string;
  deletedAt: Date;
}

export const scimDeletedSchema = new Schema<ScimDeletedDoc>(
  { _id: { type: String, required: true }, deletedAt: { type: Date, required: true } },
  { collection: 'scim_deleted_users', versionKey: false },
);

/**
 * The person holding an identity provider's `externalId`: read by `_id` for the clients'
 * `externalId eq` lookups (a filter on the user's field would read every person on FerretDB v1),
 * and inserted once, so two people cannot hold the same one.
 */
export interface ScimExternalIdDoc {
  _id: string;
  userId: string;
}

export const scimExternalIdSchema = new Schema<ScimExternalIdDoc>(
  { _id: { type: String, required: true }, userId: { type: String, required: true } },
  { collection: 'scim_external_ids', versionKey: false },
);
