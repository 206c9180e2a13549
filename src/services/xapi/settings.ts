import type { Dispatcher } from 'undici';
import { insertIfNew } from '../../db/insert-once.js';
import { XAPI_CONFIG_ID, type XapiConfigDoc } from '../../db/models/xapi.js';
import { normaliseEndpoint } from '../../domain/xapi/delivery.js';
import { endpointProblem } from '../../domain/xapi/lrs-address.js';
import type { ServiceContext } from '../context.js';
import { open, resolveSsoKey, seal } from '../identity/sso/secret-box.js';
import { announceSettingChanged } from '../settings-announce.js';
import { lrsDispatcher, lrsEndpointProblem } from './lrs-guard.js';
import { forgetXapiConfig } from './record.js';

/** The LRS settings as the admin page shows them: never the secret, only whether one is kept. */
export interface XapiSettings {
  enabled: boolean;
  endpoint: string;
  key: string;
  hasSecret: boolean;
  actor: 'account' | 'mbox';
}

/** Where to POST and how to sign in, for the sender only. */
export interface LrsConnection {
  endpoint: string;
  authorization: string;
  /** Opens only connections the address rule allows (services/xapi/lrs-guard.ts). */
  dispatcher: Dispatcher;
}

export interface XapiSettingsInput {
  enabled: boolean;
  endpoint: string;
  key: string;
  /** Blank keeps the stored secret. */
  secret: string;
  actor: 'account' | 'mbox';
}

async function storedConfig(ctx: ServiceContext): Promise<XapiConfigDoc | null> {
  return ctx.models.XapiConfig.findById(XAPI_CONFIG_ID).lean<XapiConfigDoc>();
}

// The secret is sealed with the key SSO's client secret uses (SSO_ENCRYPTION_KEY or the key file
// under DATA_DIR): one key outside the database for the app's stored credentials.
const sealingKey = (ctx: ServiceContext) =>
  resolveSsoKey(ctx.sso?.encryptionKey, ctx.sso?.dataDir ?? './data');

export async function xapiSettings(
  ctx: ServiceContext,
  _input: Record<string, never> = {},
): Promise<XapiSettings> {
  const doc = await storedConfig(ctx);
  return {
    enabled: doc?.enabled ?? false,
    endpoint: doc?.endpoint ?? '',
    key: doc?.key ?? '',
    hasSecret: Boolean(doc?.secretSealed),
    actor: doc?.actor ?? 'account',
  };
}

const allowedHosts = (ctx: ServiceContext) => ctx.xapiAllowedHosts ?? [];

/**
 * The connection when sending is on and complete; null otherwise (the sender then does nothing and
 * the statements wait). An endpoint the address rule no longer allows (XAPI_ALLOWED_HOSTS changed,
 * or written behind the admin page) gets no secret: logged, nothing sent. Private addresses behind
 * a name are refused by the dispatcher when each connection opens.
 */
export async function lrsConnection(ctx: ServiceContext): Promise<LrsConnection | null> {
  const doc = await storedConfig(ctx);
  if (!doc?.enabled || !doc.endpoint || !doc.secretSealed) return null;
  const problem = endpointProblem(doc.endpoint, allowedHosts(ctx));
  if (problem) {
    ctx.log?.error({ problem }, 'xAPI endpoint not allowed: nothing sent (see XAPI_ALLOWED_HOSTS)');
    return null;
  }
  const secret = open(await sealingKey(ctx), doc.secretSealed);
  const basic = Buffer.from(`${doc.key}:${secret}`).toString('base64');
  return {
    endpoint: doc.endpoint,
    authorization: `Basic ${basic}`,
    dispatcher: lrsDispatcher(allowedHosts(ctx)),
  };
}

function emptyConfig(now: Date): XapiConfigDoc {
  return {
    _id: XAPI_CONFIG_ID,
    enabled: false,
    endpoint: '',
    key: '',
    secretSealed: '',
    actor: 'account',
    updatedAt: now,
    updatedBy: null,
  };
}

/** A form problem next to its field: a catalogue key (admin.xapi.errors.*). */
export interface XapiFieldError {
  field: 'endpoint' | 'key' | 'secret';
  message: string;
}

const PROBLEM_MESSAGES = {
  invalid: 'admin.xapi.errors.endpoint',
  https: 'admin.xapi.errors.endpointHttps',
  private: 'admin.xapi.errors.endpointPrivate',
  unresolved: 'admin.xapi.errors.endpointUnresolved',
} as const;

const originOf = (endpoint: string) => (endpoint ? new URL(endpoint).origin : '');

/** The endpoint's and the secret's problems: the address rule, and a new origin needs the secret again. */
async function endpointErrors(
  ctx: ServiceContext,
  endpoint: string | null,
  f: XapiSettingsInput,
  current: XapiConfigDoc | null,
): Promise<XapiFieldError[]> {
  if (endpoint === null || (f.enabled && !endpoint))
    return [{ field: 'endpoint', message: 'admin.xapi.errors.endpoint' }];
  const problem = endpoint ? await lrsEndpointProblem(endpoint, allowedHosts(ctx)) : null;
  if (problem) return [{ field: 'endpoint', message: PROBLEM_MESSAGES[problem] }];
  // The stored secret was given for one LRS: it never goes to another host without being typed again.
  const moved =
    Boolean(current?.secretSealed && current.endpoint) && originOf(current!.endpoint) !== originOf(endpoint);
  if (moved && !f.secret) return [{ field: 'secret', message: 'admin.xapi.errors.secretAgain' }];
  return [];
}

/**
 * Saves the LRS settings (admin page): the endpoint must be https to a public address, or on a host
 * XAPI_ALLOWED_HOSTS names; a new origin needs the secret typed again; turning sending on needs the
 * key and a secret (typed now or kept from before). The secret is sealed; the audit event says
 * whether it changed, never what it is.
 */
export async function saveSettings(
  ctx: ServiceContext,
  input: { actorId: string; input: XapiSettingsInput; now: Date },
): Promise<{ ok: true } | { ok: false; errors: XapiFieldError[] }> {
  const f = input.input;
  const endpoint = f.endpoint.trim() ? normaliseEndpoint(f.endpoint) : '';
  const current = await storedConfig(ctx);
  const errors = await endpointErrors(ctx, endpoint, f, current);
  if (f.enabled && !f.key.trim()) errors.push({ field: 'key', message: 'admin.xapi.errors.key' });
  if (f.enabled && !f.secret && !current?.secretSealed && !errors.some((e) => e.field === 'secret'))
    errors.push({ field: 'secret', message: 'admin.xapi.errors.secret' });
  if (errors.length) return { ok: false, errors };
  const set: Partial<XapiConfigDoc> = {
    enabled: f.enabled,
    endpoint: endpoint ?? '',
    key: f.key.trim(),
    actor: f.actor,
    updatedAt: input.now,
    updatedBy: input.actorId,
  };
  if (f.secret) set.secretSealed = seal(await sealingKey(ctx), f.secret);
  // Insert the defaults once, then $set: no upsert (FerretDB v1 has no $setOnInsert).
  await insertIfNew(ctx.models.XapiConfig, emptyConfig(input.now));
  await ctx.models.XapiConfig.updateOne({ _id: XAPI_CONFIG_ID }, { $set: set });
  forgetXapiConfig(ctx);
  await announceSettingChanged(ctx, 'xapi');
  const { secret: _secret, ...shown } = f;
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'xapi.config.changed',
      targetType: 'xapi',
      targetId: XAPI_CONFIG_ID,
      subjectId: null,
      details: { ...shown, endpoint: endpoint ?? '', secretChanged: Boolean(f.secret) },
    },
    input.now,
  );
  return { ok: true };
}
