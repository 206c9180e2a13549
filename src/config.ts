import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { envSchema } from 'env-schema';
import { type Static, Type } from 'typebox';
import { AuditKeyError, resolveAuditSigningKey } from './audit-signing-key.js';
import { MAX_WORKERS, validWorkers, WORKERS_PATTERN } from './cluster/worker-count.js';
import { parseSigningKey } from './domain/audit-anchor.js';
import { decodeKey32 } from './domain/sso/key.js';
import { parseEmailList } from './domain/sso/password-policy.js';
import { isMetadataUrl, parseCertificates } from './domain/sso/saml-metadata.js';
import { parseAllowedHosts } from './domain/xapi/lrs-address.js';

/** The one environment schema; the Config type is derived from it. */
export const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  /** Production database. Unset: the app runs an embedded FerretDB under DATA_DIR. */
  MONGODB_URI: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://' })),
  DB_NAME: Type.String({ pattern: '^[A-Za-z0-9_-]{1,60}$', default: 'policy_training' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  /**
   * Embedded FerretDB's SQLite durability. "normal" (WAL + synchronous=NORMAL) survives an app or
   * database crash but may lose the last commits on a power cut; "full" syncs every commit to disk
   * and makes writes about 2.5× slower under load (measured in tests/bench).
   */
  FERRETDB_SYNC: Type.Union([Type.Literal('normal'), Type.Literal('full')], { default: 'normal' }),
  /**
   * Cron expression (UTC) for the nightly backup into DATA_DIR/backups; "off" disables it. Unset:
   * "0 2 * * *" on the embedded database, "off" on MONGODB_URI (whose operator backs it up).
   */
  BACKUP_SCHEDULE: Type.Optional(Type.String({ minLength: 1 })),
  /** How many nightly backups DATA_DIR/backups keeps (the oldest are deleted after each new one). */
  BACKUP_KEEP: Type.Integer({ minimum: 1, maximum: 1000, default: 7 }),
  BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /**
   * Seconds a signed-in session is served from this process's memory before it is read from the
   * database again (saves one read per request). Logout, role changes and deactivations in this
   * process end it at once; one ended by another process (a second app instance, the `lms` CLI)
   * can still be served here for up to this long. 0 reads the database on every request (for
   * several instances that need revocation to reach all of them at once).
   */
  SESSION_CACHE_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 20 }),
  /**
   * Secondary indexes for the queries not by `_id` (db/query-indexes.ts). "auto" creates them
   * unless the server is FerretDB, which never uses them; "on" and "off" force the choice.
   */
  QUERY_INDEXES: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
    default: 'auto',
  }),
  /**
   * Which reverse proxies may set X-Forwarded-For (the client address used by rate limits, the
   * audit log and attestation records): "off" (default: the socket's address, so no client can
   * choose its own), a comma-separated list of proxy addresses or CIDR ranges (also "loopback",
   * "linklocal", "uniquelocal"), or a hop count ("1": the nearest peer, whoever it is — only where
   * the app cannot be reached except through the proxies).
   */
  TRUST_PROXY: Type.String({ default: 'off', maxLength: 2000 }),
  /** Required in production; in development it is generated once and kept under DATA_DIR. */
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ default: 'Policy Training <training@localhost>' }),
  /** Cron expression for the refresher sweep; "off" disables the in-process scheduler. */
  SWEEP_SCHEDULE: Type.String({ default: '*/15 * * * *' }),
  /**
   * Cron expression (UTC) for the nightly job: clause report, new-hire catch-up, session clean-up,
   * weekly digest; "off" disables it in this process (run it with `jobs:run --job nightly`).
   */
  NIGHTLY_SCHEDULE: Type.String({ default: '30 2 * * *' }),
  /**
   * Cron expression (UTC) for sending the xAPI outbox to the LRS (#27; nothing is sent while the
   * admin has not turned the LRS on); "off" disables it in this process (`jobs:run --job xapi`).
   */
  XAPI_SCHEDULE: Type.String({ default: '* * * * *' }),
  /**
   * Seconds a scheduled job's lease lasts (issue #30: one instance runs each job at a time). The
   * running instance renews it every third of this; if it dies, another instance takes the job over
   * after at most this long. Longer than a database pause you want to ride out, short enough that a
   * dead leader's job resumes soon.
   */
  JOB_LEASE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  /**
   * App worker processes sharing the port (issue #30, Node's cluster module): 1 to 64, or "auto" =
   * every available core, less one for the embedded FerretDB when there is no MONGODB_URI. 1 (the
   * default) runs one process, no cluster.
   */
  WORKERS: Type.String({ pattern: WORKERS_PATTERN, default: '1' }),
  /**
   * LRS hosts the admin may point xAPI at over http or on a private address (#27): comma-separated
   * `host` or `host:port` (IPv6 in brackets), e.g. `lrs.internal:8443,10.0.4.2`. Any other LRS
   * endpoint must be https to a public address, checked at save and on every connection.
   */
  XAPI_ALLOWED_HOSTS: Type.String({ maxLength: 2000, default: '' }),
  /**
   * Bearer token for GET /metrics on the app's port (Prometheus `authorization: {credentials: …}`).
   * Unset: /metrics answers 404 there.
   */
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 24, maxLength: 500, pattern: '^[\\x21-\\x7e]+$' })),
  /**
   * A separate port serving only /metrics (for a scraper on a private network; the token is asked
   * there too when METRICS_TOKEN is set). Unset: no separate listener.
   */
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  /**
   * Where METRICS_PORT listens. Default: HOST when METRICS_TOKEN is set, otherwise 127.0.0.1, since
   * without a token anyone who reaches the port reads the metrics (HOST is often 0.0.0.0).
   */
  METRICS_HOST: Type.Optional(Type.String({ minLength: 1 })),
  /** Create the demo organisation on first start against an empty database (never in production). */
  DEMO_DATA: Type.Boolean({ default: true }),
  /**
   * Ed25519 private key signing the hourly audit anchors (PEM, or the base64 of its PKCS#8 DER).
   * Unset: `DATA_DIR/audit-signing-key.pem`, created on first start with mode 0600.
   */
  AUDIT_SIGNING_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * Single sign-on by environment (automated deployments): set OIDC_ISSUER, OIDC_CLIENT_ID and
   * OIDC_CLIENT_SECRET and the connection is fixed here (the admin page shows it read-only).
   */
  OIDC_ISSUER: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 500 })),
  OIDC_CLIENT_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  OIDC_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  /** The name on the sign-in button ("Sign in with …"). */
  OIDC_PROVIDER_NAME: Type.String({ minLength: 1, maxLength: 100, default: 'single sign-on' }),
  OIDC_SCOPES: Type.String({
    pattern: '(^|\\s)openid(\\s|$)',
    maxLength: 500,
    default: 'openid email profile',
  }),
  /** Create a person on their first single sign-on when no one matches (just-in-time accounts). */
  OIDC_JIT: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'off' }),
  /**
   * SAML 2.0 single sign-on by environment (instead of OIDC_*, never both): SAML_IDP_METADATA_URL
   * (read when first needed, then hourly), or SAML_IDP_ENTITY_ID + SAML_IDP_SSO_URL (HTTP-Redirect) +
   * SAML_IDP_CERT (PEM; several for a key rotation).
   */
  SAML_IDP_METADATA_URL: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 1000 })),
  SAML_IDP_ENTITY_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  SAML_IDP_SSO_URL: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 1000 })),
  SAML_IDP_CERT: Type.Optional(Type.String({ minLength: 1, maxLength: 20000 })),
  SAML_PROVIDER_NAME: Type.String({ minLength: 1, maxLength: 100, default: 'single sign-on' }),
  SAML_JIT: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'off' }),
  /** Attribute names holding the e-mail and display name ('' = the common Entra/Okta/Google names). */
  SAML_EMAIL_ATTRIBUTE: Type.String({ maxLength: 300, default: '' }),
  SAML_NAME_ATTRIBUTE: Type.String({ maxLength: 300, default: '' }),
  /**
   * 32 random bytes (64 hex characters or base64) encrypting the SSO client secret stored in the
   * database. Unset: `DATA_DIR/sso-encryption-key`, created on first use with mode 0600.
   */
  SSO_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** "off" refuses password sign-in except for PASSWORD_LOGIN_BREAK_GLASS admins; unset: the admin page decides. */
  PASSWORD_LOGIN: Type.Optional(Type.Union([Type.Literal('on'), Type.Literal('off')])),
  /** Comma-separated admin e-mails still allowed to sign in with a password when it is off. */
  PASSWORD_LOGIN_BREAK_GLASS: Type.Optional(Type.String({ maxLength: 2000 })),
});

export type Env = Static<typeof EnvSchema>;

export interface Config extends Omit<Env, 'SESSION_SECRET' | 'BASE_URL'> {
  SESSION_SECRET: string;
  BASE_URL: string;
  /**
   * Tests only (tests/helpers/app.ts testConfig), never read from the environment: a cheaper argon2
   * cost for the passwords the app hashes (the demo seed), so a test sign-in takes a millisecond, not
   * half a second. Unset everywhere else: PRODUCTION_HASH_COST (services/identity/passwords.ts).
   */
  passwordHashCost?: { memoryCost: number; timeCost: number; parallelism: number };
}

export class ConfigError extends Error {}

/**
 * Settings that work but are unwise, logged at start. In production without SSO_ENCRYPTION_KEY the
 * SSO key file is kept in DATA_DIR beside the embedded database: one backup of DATA_DIR would hold
 * both the sealed client secret and the key that opens it.
 */
export function startupWarnings(
  env: Pick<Env, 'NODE_ENV' | 'SSO_ENCRYPTION_KEY' | 'MONGODB_URI' | 'DATA_DIR'>,
): string[] {
  if (env.NODE_ENV !== 'production' || env.SSO_ENCRYPTION_KEY !== undefined || env.MONGODB_URI) return [];
  return [
    `SSO_ENCRYPTION_KEY is not set: the single sign-on key file is kept in DATA_DIR (${env.DATA_DIR}) beside the embedded database, so one backup holds both the sealed client secret and its key. Set SSO_ENCRYPTION_KEY (openssl rand -hex 32) from a secret store.`,
  ];
}

/** Validates the environment once; an invalid value stops start-up with a message naming the variable. */
export function readEnv(source: NodeJS.ProcessEnv | Record<string, unknown> = process.env): Env {
  let env: Env;
  try {
    env = envSchema<Env>({ schema: EnvSchema, data: { ...source }, env: false, dotenv: false });
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${(err as Error).message}`);
  }
  trustedProxies(env.TRUST_PROXY);
  checkSsoEnv(env);
  xapiAllowedHosts(env.XAPI_ALLOWED_HOSTS);
  if (!validWorkers(env.WORKERS))
    throw new ConfigError(
      `Invalid configuration: WORKERS must be "auto" or a whole number from 1 to ${MAX_WORKERS} (got "${env.WORKERS}")`,
    );
  if (env.METRICS_HOST === undefined)
    env.METRICS_HOST = env.METRICS_TOKEN === undefined ? '127.0.0.1' : env.HOST;
  if (env.AUDIT_SIGNING_KEY !== undefined) {
    try {
      parseSigningKey(env.AUDIT_SIGNING_KEY);
    } catch (err) {
      throw new ConfigError(`Invalid configuration: AUDIT_SIGNING_KEY ${(err as Error).message}`);
    }
  }
  return env;
}

/** The SSO variables must come as a set, and the encryption key must be 32 bytes. */
function checkSsoEnv(env: Env): void {
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  if (oidc.some((v) => v !== undefined) && oidc.some((v) => v === undefined))
    throw new ConfigError(
      'Invalid configuration: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
    );
  checkSamlEnv(
    env,
    oidc.some((v) => v !== undefined),
  );
  // Off with no one named would leave no way in when the identity provider is down.
  if (env.PASSWORD_LOGIN === 'off' && parseEmailList(env.PASSWORD_LOGIN_BREAK_GLASS ?? '').length === 0)
    throw new ConfigError(
      'Invalid configuration: PASSWORD_LOGIN=off needs PASSWORD_LOGIN_BREAK_GLASS to name at least one admin e-mail, or no one could sign in while the identity provider is down',
    );
  if (env.SSO_ENCRYPTION_KEY !== undefined && decodeKey32(env.SSO_ENCRYPTION_KEY) === null)
    throw new ConfigError(
      'Invalid configuration: SSO_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)',
    );
}

/** One connection at a time: SAML by metadata URL, or by entity id + SSO URL + certificate, never with OIDC. */
function checkSamlEnv(env: Env, oidcSet: boolean): void {
  const manual = [env.SAML_IDP_ENTITY_ID, env.SAML_IDP_SSO_URL, env.SAML_IDP_CERT];
  const samlSet = env.SAML_IDP_METADATA_URL !== undefined || manual.some((v) => v !== undefined);
  if (samlSet && oidcSet)
    throw new ConfigError(
      'Invalid configuration: OIDC_* and SAML_IDP_* are both set; single sign-on uses one protocol at a time, so set only one of them',
    );
  if (env.SAML_IDP_METADATA_URL !== undefined && manual.some((v) => v !== undefined))
    throw new ConfigError(
      'Invalid configuration: set SAML_IDP_METADATA_URL, or SAML_IDP_ENTITY_ID, SAML_IDP_SSO_URL and SAML_IDP_CERT, not both',
    );
  if (manual.some((v) => v !== undefined) && manual.some((v) => v === undefined))
    throw new ConfigError(
      'Invalid configuration: SAML_IDP_ENTITY_ID, SAML_IDP_SSO_URL and SAML_IDP_CERT must be set together',
    );
  if (env.SAML_IDP_CERT !== undefined && !parseCertificates(env.SAML_IDP_CERT).ok)
    throw new ConfigError(
      'Invalid configuration: SAML_IDP_CERT must hold the identity provider’s X.509 signing certificate(s) as PEM',
    );
  // The metadata carries the signing keys: over plain http anyone on the path could swap them.
  if (env.SAML_IDP_METADATA_URL !== undefined && !isMetadataUrl(env.SAML_IDP_METADATA_URL))
    throw new ConfigError(
      'Invalid configuration: SAML_IDP_METADATA_URL must start with https:// (http:// only for 127.0.0.1, ::1 or localhost)',
    );
}

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (PROXY_PRESETS.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/** XAPI_ALLOWED_HOSTS as a list (domain/xapi/lrs-address.ts); a malformed value stops start-up. */
export function xapiAllowedHosts(value: string): string[] {
  const hosts = parseAllowedHosts(value);
  if (hosts) return hosts;
  throw new ConfigError(
    'Invalid configuration: XAPI_ALLOWED_HOSTS must be a comma-separated list of host or host:port ' +
      `entries, IPv6 addresses in brackets (got "${value.slice(0, 100)}")`,
  );
}

export type TrustProxy = false | string[] | ((address: string, hop: number) => boolean);

/**
 * TRUST_PROXY as fastify's `trustProxy` option. Never `true`: trusting every hop would let any
 * client choose the address that rate limits count and attestation records keep. A hop count is
 * passed as a function because fastify fails closed on a number (it cannot tell whether the
 * nearest peer is a proxy); it is only safe where the app is reachable through the proxies alone.
 */
export function trustedProxies(value: string): TrustProxy {
  const text = value.trim().toLowerCase();
  if (text === 'off' || text === 'false' || text === '') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops >= 1 && hops <= 10) return (_address, hop) => hop < hops;
  } else {
    const entries = text.split(',').map((e) => e.trim());
    if (entries.every(isAddressOrRange)) return entries;
  }
  throw new ConfigError(
    'Invalid configuration: TRUST_PROXY must be "off", a hop count from 1 to 10, or a comma-separated ' +
      `list of proxy addresses or CIDR ranges (got "${value.slice(0, 100)}")`,
  );
}

async function developmentSecret(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, 'session-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: generate below
  }
  const secret = randomBytes(32).toString('hex');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/** The audit anchors' signing key as PEM (audit-signing-key.ts); an unusable key stops the start. */
async function auditSigningKey(env: Env): Promise<string> {
  try {
    return await resolveAuditSigningKey(env.AUDIT_SIGNING_KEY, env.DATA_DIR);
  } catch (err) {
    if (err instanceof AuditKeyError) throw new ConfigError(`Invalid configuration: ${err.message}`);
    throw err;
  }
}

export async function loadConfig(
  source: NodeJS.ProcessEnv | Record<string, unknown> = process.env,
): Promise<Config> {
  const env = readEnv(source);
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration: SESSION_SECRET is required when NODE_ENV=production');
  }
  const secret = env.SESSION_SECRET ?? (await developmentSecret(env.DATA_DIR));
  return {
    ...env,
    SESSION_SECRET: secret,
    AUDIT_SIGNING_KEY: await auditSigningKey(env),
    BASE_URL: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
  };
}
