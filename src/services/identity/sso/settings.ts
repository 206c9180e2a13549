import { insertIfNew } from '../../../db/insert-once.js';
import { SSO_CONFIG_ID, type SsoConfigDoc } from '../../../db/models/sso.js';
import { usersRepository } from '../../../db/repositories/users.js';
import { Invalid, InvalidAll, type Problem } from '../../../domain/errors.js';
import { SsoFailure } from '../../../domain/sso/failure.js';
import {
  type ClaimMapping,
  DEFAULT_MAPPING,
  parsePairs,
  parseRoleGroups,
} from '../../../domain/sso/mapping.js';
import { type PasswordLogin, parseEmailList } from '../../../domain/sso/password-policy.js';
import type { ServiceContext } from '../../context.js';
import { open, resolveSsoKey, seal } from './secret-box.js';

/** What the environment says about single sign-on (config.ts), given to the services once. */
export interface SsoEnvironment {
  /** Set when OIDC_ISSUER is: the connection is then fixed by the environment. */
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    providerName: string;
    scopes: string;
    jitCreate: boolean;
  } | null;
  /** Set when SAML_IDP_* are (never with `oidc`): SAML fixed by the environment. */
  saml?: {
    /** Read when first needed (and hourly), when the IdP is not given by the three variables. */
    metadataUrl: string;
    idpEntityId: string;
    ssoUrl: string;
    certificates: string[];
    providerName: string;
    jitCreate: boolean;
    emailAttribute: string;
    nameAttribute: string;
  } | null;
  passwordLogin?: PasswordLogin;
  breakGlass?: string[];
  encryptionKey?: string;
  dataDir: string;
}

export type SsoContext = ServiceContext;

/** The settings in force: the environment's where it sets them, else the admin's saved ones. */
export interface SsoSettings {
  source: 'environment' | 'admin';
  /** The one connection in use (the environment's, else the last one the admin saved). */
  protocol: 'oidc' | 'saml';
  enabled: boolean;
  providerName: string;
  jitCreate: boolean;
  issuer: string;
  clientId: string;
  hasSecret: boolean;
  scopes: string;
  saml: SamlIdpSettings;
  mapping: ClaimMapping;
  passwordLogin: PasswordLogin;
  breakGlass: string[];
  passwordFromEnvironment: boolean;
}

export type SamlIdpSettings = SsoConfigDoc['saml'];

const NO_SAML: SamlIdpSettings = {
  idpEntityId: '',
  ssoUrl: '',
  certificates: [],
  metadataUrl: '',
  emailAttribute: '',
  nameAttribute: '',
};

/** Whether the connection in use is complete enough to offer (SAML from the environment may read its metadata later). */
export function ssoReady(s: SsoSettings): boolean {
  if (!s.enabled) return false;
  if (s.protocol === 'oidc') return Boolean(s.issuer);
  return Boolean((s.saml.idpEntityId && s.saml.ssoUrl && s.saml.certificates.length) || s.saml.metadataUrl);
}

/** The route that starts a sign-in with the connection in use. */
export function ssoStartPath(s: SsoSettings): string {
  return s.protocol === 'saml' ? '/auth/saml/start' : '/auth/oidc/start';
}

async function storedDoc(ctx: SsoContext): Promise<SsoConfigDoc | null> {
  return ctx.models.SsoConfig.findById(SSO_CONFIG_ID).lean<SsoConfigDoc>();
}

function mappingOf(doc: SsoConfigDoc | null): ClaimMapping {
  return { ...DEFAULT_MAPPING, ...(doc?.mapping as Partial<ClaimMapping> | undefined) };
}

/** The settings in force (never the secret). */
export async function ssoSettings(ctx: SsoContext): Promise<SsoSettings> {
  const doc = await storedDoc(ctx);
  const env = ctx.sso;
  const password = {
    passwordLogin: env?.passwordLogin ?? doc?.passwordLogin ?? 'on',
    breakGlass: env?.passwordLogin ? (env.breakGlass ?? []) : (doc?.breakGlass ?? []),
    passwordFromEnvironment: env?.passwordLogin !== undefined,
  };
  if (env?.oidc) {
    const { clientSecret: _secret, ...oidc } = env.oidc;
    return {
      source: 'environment',
      protocol: 'oidc',
      enabled: true,
      hasSecret: true,
      ...oidc,
      saml: NO_SAML,
      mapping: mappingOf(doc),
      ...password,
    };
  }
  if (env?.saml) {
    const { providerName, jitCreate, ...saml } = env.saml;
    return {
      source: 'environment',
      protocol: 'saml',
      enabled: true,
      providerName,
      jitCreate,
      issuer: '',
      clientId: '',
      hasSecret: false,
      scopes: '',
      saml,
      mapping: mappingOf(doc),
      ...password,
    };
  }
  return {
    source: 'admin',
    protocol: doc?.protocol ?? 'oidc',
    enabled: doc?.enabled ?? false,
    providerName: doc?.providerName ?? '',
    jitCreate: doc?.jitCreate ?? false,
    issuer: doc?.oidc.issuer ?? '',
    clientId: doc?.oidc.clientId ?? '',
    hasSecret: Boolean(doc?.oidc.clientSecretSealed),
    scopes: doc?.oidc.scopes ?? 'openid email profile',
    saml: { ...NO_SAML, ...doc?.saml },
    mapping: mappingOf(doc),
    ...password,
  };
}

/** The client secret in clear, for the token request only. */
export async function clientSecret(ctx: SsoContext): Promise<string> {
  if (ctx.sso?.oidc) return ctx.sso.oidc.clientSecret;
  const sealed = (await storedDoc(ctx))?.oidc.clientSecretSealed;
  if (!sealed) return '';
  const key = await resolveSsoKey(ctx.sso?.encryptionKey, ctx.sso?.dataDir ?? './data');
  try {
    return open(key, sealed);
  } catch (err) {
    // Another key than the one that sealed it (a changed SSO_ENCRYPTION_KEY, a lost key file).
    throw new SsoFailure('secret_unreadable', (err as Error).message);
  }
}

function emptyConfig(now: Date): SsoConfigDoc {
  return {
    _id: SSO_CONFIG_ID,
    enabled: false,
    providerName: '',
    jitCreate: false,
    oidc: { issuer: '', clientId: '', clientSecretSealed: '', scopes: 'openid email profile' },
    protocol: 'oidc',
    saml: { ...NO_SAML },
    mapping: { ...DEFAULT_MAPPING },
    passwordLogin: 'on',
    breakGlass: [],
    updatedAt: now,
    updatedBy: null,
  };
}

export async function writeSection(
  ctx: SsoContext,
  input: {
    actorId: string;
    section: string;
    set: Record<string, unknown>;
    details: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  // Insert the defaults once, then $set: no upsert (FerretDB v1 has no $setOnInsert for defaults).
  await insertIfNew(ctx.models.SsoConfig, emptyConfig(input.now));
  await ctx.models.SsoConfig.updateOne(
    { _id: SSO_CONFIG_ID },
    { $set: { ...input.set, updatedAt: input.now, updatedBy: input.actorId } },
  );
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'sso.config.changed',
      targetType: 'sso',
      targetId: SSO_CONFIG_ID,
      subjectId: null,
      details: { section: input.section, ...input.details },
    },
    input.now,
  );
}

export interface ConnectionForm {
  providerName: string;
  issuer: string;
  clientId: string;
  /** Blank keeps the stored secret. */
  clientSecret: string;
  scopes: string;
  enabled: boolean;
  jitCreate: boolean;
}

/** Saves the OIDC connection; the secret sealed with the key kept outside the database. */
export async function saveSsoConnection(
  ctx: SsoContext,
  input: { actorId: string; form: ConnectionForm; now: Date },
): Promise<void> {
  const f = input.form;
  if (ctx.sso?.oidc || ctx.sso?.saml) throw new Invalid('admin.sso.errors.fixedByEnvironment');
  const errors: Problem[] = [];
  if (!/^https?:\/\/[^\s]+$/.test(f.issuer.trim())) errors.push({ message: 'admin.sso.errors.issuer' });
  if (!f.clientId.trim()) errors.push({ message: 'admin.sso.errors.clientId' });
  if (!/(^|\s)openid(\s|$)/.test(f.scopes)) errors.push({ message: 'admin.sso.errors.scopes' });
  const current = await storedDoc(ctx);
  if (f.enabled && !f.clientSecret && !current?.oidc.clientSecretSealed)
    errors.push({ message: 'admin.sso.errors.clientSecret' });
  if (errors.length) throw new InvalidAll(errors);
  const set: Record<string, unknown> = {
    providerName: f.providerName.trim() || 'single sign-on',
    // Saving a connection makes it the one in use: one connection at a time.
    protocol: 'oidc',
    enabled: f.enabled,
    jitCreate: f.jitCreate,
    'oidc.issuer': f.issuer.trim().replace(/\/$/, ''),
    'oidc.clientId': f.clientId.trim(),
    'oidc.scopes': f.scopes.trim().split(/\s+/).join(' '),
  };
  if (f.clientSecret) {
    const key = await resolveSsoKey(ctx.sso?.encryptionKey, ctx.sso?.dataDir ?? './data');
    set['oidc.clientSecretSealed'] = seal(key, f.clientSecret);
  }
  const { clientSecret: _secret, ...shown } = f;
  await writeSection(ctx, {
    actorId: input.actorId,
    section: 'connection',
    set,
    details: { ...shown, secretChanged: Boolean(f.clientSecret) },
    now: input.now,
  });
}

export interface MappingForm {
  groupsClaim: string;
  departmentClaim: string;
  employeeIdClaim: string;
  managerClaim: string;
  /** "group = role" lines. */
  roleGroups: string;
  /** "group = department" lines. */
  departmentGroups: string;
}

export async function saveSsoMapping(
  ctx: SsoContext,
  input: { actorId: string; form: MappingForm; now: Date },
) {
  const f = input.form;
  const roles = parseRoleGroups(f.roleGroups);
  const departments = parsePairs(f.departmentGroups);
  const errors = [...roles.errors, ...departments.errors];
  if (errors.length) throw new InvalidAll(errors);
  const mapping: ClaimMapping = {
    groupsClaim: f.groupsClaim.trim(),
    departmentClaim: f.departmentClaim.trim(),
    employeeIdClaim: f.employeeIdClaim.trim(),
    managerClaim: f.managerClaim.trim(),
    roleByGroup: roles.value,
    departmentByGroup: departments.pairs.map(([group, department]) => ({ group, department })),
  };
  await writeSection(ctx, {
    actorId: input.actorId,
    section: 'mapping',
    set: { mapping },
    details: { mapping },
    now: input.now,
  });
}

export async function saveSsoPasswordPolicy(
  ctx: SsoContext,
  input: { actorId: string; passwordLogin: PasswordLogin; breakGlass: string; now: Date },
) {
  if (ctx.sso?.passwordLogin) throw new Invalid('admin.sso.errors.passwordFromEnvironment');
  const breakGlass = parseEmailList(input.breakGlass);
  // Only active admins may be listed: anyone else could not get back in, and would think they could.
  const users = usersRepository(ctx.models);
  for (const email of breakGlass) {
    const user = await users.findByEmail(email);
    if (!user?.active || user.role !== 'admin')
      throw new Invalid('admin.sso.errors.notActiveAdmin', { email });
  }
  if (input.passwordLogin === 'off' && breakGlass.length === 0)
    throw new Invalid('admin.sso.errors.noBreakGlass');
  await writeSection(ctx, {
    actorId: input.actorId,
    section: 'password',
    set: { passwordLogin: input.passwordLogin, breakGlass },
    details: { passwordLogin: input.passwordLogin, breakGlass },
    now: input.now,
  });
}
