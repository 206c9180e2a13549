import { Schema } from 'mongoose';

/**
 * The single sign-on settings: one document, `_id: 'sso'`. The client secret is stored only
 * encrypted (AES-256-GCM, key outside the database: services/identity/sso/secret-box.ts), so a
 * copy of the database alone does not give it away. Protocol fields sit in `oidc`; the mapping,
 * just-in-time and password rules are shared by every protocol; SAML's IdP sits in `saml`.
 */
export interface SsoConfigDoc {
  _id: string;
  enabled: boolean;
  providerName: string;
  jitCreate: boolean;
  oidc: {
    issuer: string;
    clientId: string;
    /** `v1.<iv>.<tag>.<ciphertext>`, base64url; '' when none is set. */
    clientSecretSealed: string;
    scopes: string;
  };
  /** The one connection in use: the last connection section the admin saved. */
  protocol: 'oidc' | 'saml';
  /** SAML 2.0: the identity provider, from its metadata (pasted, uploaded or fetched) or typed in. */
  saml: {
    idpEntityId: string;
    /** Where AuthnRequests go (HTTP-Redirect binding). */
    ssoUrl: string;
    /** PEM signing certificates; several while the IdP rotates its key. */
    certificates: string[];
    /** The URL the metadata was read from at save ('' when pasted, uploaded or typed). */
    metadataUrl: string;
    /** Attribute names ('' = the common Entra/Okta/Google names). */
    emailAttribute: string;
    nameAttribute: string;
  };
  mapping: {
    groupsClaim: string;
    departmentClaim: string;
    employeeIdClaim: string;
    managerClaim: string;
    roleByGroup: Array<{ group: string; role: string }>;
    departmentByGroup: Array<{ group: string; department: string }>;
  };
  passwordLogin: 'on' | 'off';
  breakGlass: string[];
  updatedAt: Date;
  updatedBy: string | null;
}

export const SSO_CONFIG_ID = 'sso';

export const ssoConfigSchema = new Schema<SsoConfigDoc>(
  {
    _id: { type: String, required: true },
    enabled: { type: Boolean, default: false },
    providerName: { type: String, default: '' },
    jitCreate: { type: Boolean, default: false },
    oidc: {
      issuer: { type: String, default: '' },
      clientId: { type: String, default: '' },
      clientSecretSealed: { type: String, default: '' },
      scopes: { type: String, default: 'openid email profile' },
    },
    protocol: { type: String, enum: ['oidc', 'saml'], default: 'oidc' },
    saml: {
      idpEntityId: { type: String, default: '' },
      ssoUrl: { type: String, default: '' },
      certificates: { type: [String], default: [] },
      metadataUrl: { type: String, default: '' },
      emailAttribute: { type: String, default: '' },
      nameAttribute: { type: String, default: '' },
    },
    mapping: { type: Schema.Types.Mixed, default: {} },
    passwordLogin: { type: String, enum: ['on', 'off'], default: 'on' },
    breakGlass: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: null },
  },
  { collection: 'sso_config', versionKey: false, minimize: false },
);

/**
 * One document per authorization code redeemed (`_id`: SHA-256 of the code), and per SAML assertion
 * accepted (`_id`: `saml:` + SHA-256 of issuer and assertion ID): inserted before the
 * code is sent to the provider, so a replayed code is refused here even by a provider that would
 * accept it twice. Insert-once (db/insert-once.ts); no TTL (FerretDB v1), the nightly job may prune.
 */
export interface SsoUsedCodeDoc {
  _id: string;
  usedAt: Date;
}

export const ssoUsedCodeSchema = new Schema<SsoUsedCodeDoc>(
  { _id: { type: String, required: true }, usedAt: { type: Date, required: true } },
  { collection: 'sso_used_codes', versionKey: false },
);
