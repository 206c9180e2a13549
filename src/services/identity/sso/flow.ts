import { createHash, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { insertIfNew } from '../../../db/insert-once.js';
import { Conflict } from '../../../domain/errors.js';
import type { SessionUser } from '../../../domain/roles.js';
import { SsoFailure, type SsoFailureReason } from '../../../domain/sso/failure.js';
import { type MappedIdentity, mapClaims } from '../../../domain/sso/mapping.js';
import { linkSsoSubject } from '../../people/sso-link.js';
import { signInPerson, subjectKey } from './accounts.js';
import { relyingParty } from './oidc-client.js';
import { clientSecret, type SsoContext, ssoSettings } from './settings.js';

/** A pending flow lasts this long: the time to sign in at the provider. */
const FLOW_MINUTES = 10;

/** What the browser's session keeps between the start and the callback. */
export interface PendingOidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  purpose: 'signin' | 'test' | 'link';
  /** For 'link': the signed-in person the provider's subject is to be linked to. */
  linkUserId?: string;
  next: string;
  startedAt: string;
}

export const callbackPath = '/auth/oidc/callback';

/** Starts a sign-in (or an admin's connection test): the provider's URL, with PKCE, state and nonce. */
export async function beginOidcSignIn(
  ctx: SsoContext,
  input: { purpose: PendingOidcFlow['purpose']; linkUserId?: string; next: string; ip: string; now: Date },
): Promise<{ url: string; pending: PendingOidcFlow }> {
  const settings = await ssoSettings(ctx);
  if (!settings.enabled || settings.protocol !== 'oidc' || !settings.issuer)
    throw new SsoFailure('not_configured');
  // The secret is read inside the audited part: a key that cannot open it is a refusal, not a 500.
  const config = await clientSecret(ctx)
    .then((secret) => relyingParty(settings, secret, input.now))
    .catch(async (err: unknown) => {
      await auditFailure(ctx, err, input);
      throw err;
    });
  const pending: PendingOidcFlow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    purpose: input.purpose,
    ...(input.linkUserId ? { linkUserId: input.linkUserId } : {}),
    next: input.next,
    startedAt: input.now.toISOString(),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: `${ctx.baseUrl}${callbackPath}`,
    scope: settings.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
    ...(input.purpose !== 'signin' ? { prompt: 'login' } : {}),
  });
  return { url: url.toString(), pending };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Names what openid-client refused, from its error codes (never its message to the page). */
function reasonOf(err: unknown): SsoFailureReason {
  for (
    let e = err as { code?: string; error?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    const claim = (e.cause as { claim?: string } | undefined)?.claim;
    if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'nonce') return 'nonce_mismatch';
    if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'token_expired';
    if (e.error === 'invalid_grant') return 'code_replay';
    if (e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR' || e.error) return 'provider_error';
    if (typeof e !== 'object') break;
  }
  return 'invalid_response';
}

export type OidcOutcome =
  | { kind: 'signed-in'; user: SessionUser; idToken: string | null }
  | { kind: 'test'; claims: Record<string, unknown>; mapped: MappedIdentity }
  | { kind: 'linked' };

/** What the callback brings: its URL, the flow this session started, who is signed in. */
interface CallbackInput {
  callbackUrl: string;
  pending: PendingOidcFlow | undefined;
  sessionUserId: string | null;
  ip: string;
  now: Date;
}

/**
 * Checks the provider's answer and signs the person in: the flow this browser started (state,
 * constant-time), the code used once (insert-once record, before the code leaves the app), then
 * openid-client's checks (PKCE, state, nonce, issuer, audience, signature, expiry on the app's clock).
 * Every refusal is audited as `login.sso.failure` with its reason.
 */
export async function completeOidcSignIn(ctx: SsoContext, input: CallbackInput): Promise<OidcOutcome> {
  try {
    return await complete(ctx, input);
  } catch (err) {
    const reason = await auditFailure(ctx, err, input);
    throw err instanceof SsoFailure ? err : new SsoFailure(reason, (err as Error).message);
  }
}

/** `login.sso.failure` with its reason code (and the person, when the refusal is about one). */
export async function auditFailure(
  ctx: SsoContext,
  err: unknown,
  input: { ip: string; now: Date },
  protocol: 'oidc' | 'saml' = 'oidc',
): Promise<SsoFailureReason> {
  const reason = err instanceof SsoFailure ? err.reason : reasonOf(err);
  const userId = err instanceof SsoFailure ? err.userId : undefined;
  await ctx.audit.append(
    {
      actorId: null,
      action: 'login.sso.failure',
      targetType: 'user',
      targetId: userId ?? 'unknown-account',
      subjectId: userId ?? null,
      details: { reason, ip: input.ip, protocol },
    },
    input.now,
  );
  return reason;
}

async function complete(ctx: SsoContext, input: CallbackInput): Promise<OidcOutcome> {
  const { pending, now } = input;
  const settings = await ssoSettings(ctx);
  if (!settings.enabled || settings.protocol !== 'oidc' || !settings.issuer)
    throw new SsoFailure('not_configured');
  const url = new URL(input.callbackUrl);
  if (url.searchParams.get('error'))
    throw new SsoFailure('provider_error', url.searchParams.get('error') ?? '');
  if (!pending || now.getTime() - Date.parse(pending.startedAt) > FLOW_MINUTES * 60_000)
    throw new SsoFailure('no_pending_flow');
  if (!same(url.searchParams.get('state') ?? '', pending.state)) throw new SsoFailure('state_mismatch');
  const code = url.searchParams.get('code');
  if (!code) throw new SsoFailure('invalid_response', 'no code');
  const codeKey = createHash('sha256').update(code).digest('base64url');
  if (!(await insertIfNew(ctx.models.SsoUsedCode, { _id: codeKey, usedAt: now })))
    throw new SsoFailure('code_replay');

  const config = await relyingParty(settings, await clientSecret(ctx), now);
  const tokens = await client.authorizationCodeGrant(config, url, {
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    pkceCodeVerifier: pending.codeVerifier,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims?.sub) throw new SsoFailure('no_subject');
  // Providers put the profile claims in the ID token (Entra, Google) or only at userinfo (Okta's
  // org server, strict OIDC providers): both are read, the ID token's winning.
  let claims: Record<string, unknown> = { ...idClaims };
  if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
    const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    claims = { ...info, ...idClaims };
  }
  const mapped = mapClaims(idClaims.sub, claims, settings.mapping);
  if (pending.purpose === 'test') return { kind: 'test', claims, mapped };
  if (pending.purpose === 'link') {
    await linkSignedInPerson(ctx, {
      pending,
      sessionUserId: input.sessionUserId,
      issuer: settings.issuer,
      sub: idClaims.sub,
      now,
    });
    return { kind: 'linked' };
  }
  const user = await signInPerson(ctx, {
    protocol: 'oidc',
    issuer: settings.issuer,
    mapped,
    jitCreate: settings.jitCreate,
    breakGlass: settings.breakGlass,
    ip: input.ip,
    now,
  });
  return { kind: 'signed-in', user, idToken: tokens.id_token ?? null };
}

/**
 * Links the provider's subject to the person who started the link from their signed-in session
 * (how admin and HR accounts, never linked by e-mail, come to use single sign-on). The session at
 * the callback must still be theirs.
 */
export async function linkSignedInPerson(
  ctx: SsoContext,
  input: {
    pending: { linkUserId?: string };
    sessionUserId: string | null;
    issuer: string;
    sub: string;
    now: Date;
  },
): Promise<void> {
  const userId = input.pending.linkUserId;
  if (!userId || userId !== input.sessionUserId) throw new SsoFailure('no_pending_flow', 'session changed');
  const subject = subjectKey(input.issuer, input.sub);
  await linkSsoSubject(ctx, { userId, subject, actorId: userId, now: input.now }).catch((err: unknown) => {
    if (err instanceof Conflict)
      throw new SsoFailure('no_matching_account', 'linked to another subject', userId);
    throw err;
  });
}
