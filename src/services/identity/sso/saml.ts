import { createHash, timingSafeEqual } from 'node:crypto';
import { type CacheProvider, type Profile, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { insertIfNew } from '../../../db/insert-once.js';
import type { SessionUser } from '../../../domain/roles.js';
import { SsoFailure, type SsoFailureReason } from '../../../domain/sso/failure.js';
import { type MappedIdentity, mapClaims } from '../../../domain/sso/mapping.js';
import { type IdpDetails, samlClaims } from '../../../domain/sso/saml-metadata.js';
import { signInPerson } from './accounts.js';
import { auditFailure, linkSignedInPerson } from './flow.js';
import { followMetadataRefresh, metadataAt, rememberMetadata } from './saml-connection.js';
import { type SsoContext, type SsoSettings, ssoSettings } from './settings.js';

/** A pending flow lasts this long: the time to sign in at the IdP (as OIDC's). */
const FLOW_MINUTES = 10;
/** Allowance for the IdP's clock against this server's when checking NotBefore/NotOnOrAfter. */
const CLOCK_SKEW_MS = 60_000;
/** Unspecified: each IdP sends the NameID format it is set up with (see the README per IdP). */
const NAMEID_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

export const samlMetadataPath = '/auth/saml/metadata';
export const samlAcsPath = '/auth/saml/acs';

/** What the browser's session keeps between the AuthnRequest and the IdP's answer. */
export interface PendingSamlFlow {
  /** The AuthnRequest's ID: the answer's InResponseTo must be this. */
  requestId: string;
  /** node-saml's issue instant for it (on the real clock, which node-saml reads). */
  requestInstant: string;
  purpose: 'signin' | 'test' | 'link';
  linkUserId?: string;
  next: string;
  startedAt: string;
}

/** The SP's entity id is its metadata URL: stable, and where the IdP admin finds everything else. */
function spUrls(ctx: SsoContext) {
  return { entityId: `${ctx.baseUrl}${samlMetadataPath}`, acs: `${ctx.baseUrl}${samlAcsPath}` };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * node-saml's CacheProvider over this browser's pending flow, kept in the server-side session (so
 * any instance answers; node-saml's in-memory cache would not survive a second instance or a
 * restart). Saving records the new request's ID for the session; the ID is valid only for the
 * flow this session started; removing is the route's job (it takes the flow out of the session
 * before the answer is checked: one answer per start).
 */
class PendingFlowCache implements CacheProvider {
  saved: { key: string; value: string } | null = null;
  constructor(private readonly pending?: PendingSamlFlow) {}
  async saveAsync(key: string, value: string) {
    this.saved = { key, value };
    return { value, createdAt: Date.now() };
  }
  async getAsync(key: string) {
    return this.pending && same(key, this.pending.requestId) ? this.pending.requestInstant : null;
  }
  async removeAsync(_key: string | null) {
    return null;
  }
}

function serviceProvider(ctx: SsoContext, idp: IdpDetails | null, cache: CacheProvider): SAML {
  const sp = spUrls(ctx);
  return new SAML({
    issuer: sp.entityId,
    callbackUrl: sp.acs,
    audience: sp.entityId,
    entryPoint: idp?.ssoUrl ?? '',
    // The metadata alone needs no IdP; a certificate that verifies nothing stands in.
    idpCert: idp?.certificates.length ? idp.certificates : 'no-idp-configured',
    identifierFormat: NAMEID_FORMAT,
    wantAssertionsSigned: true,
    // Entra ID signs only the assertion by default; a signed response is checked when present.
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: FLOW_MINUTES * 60_000,
    cacheProvider: cache,
    disableRequestedAuthnContext: true,
    authnRequestBinding: 'HTTP-Redirect',
  });
}

/** The SP metadata the IdP admin imports (entity id, ACS, NameID format, WantAssertionsSigned). */
export function samlServiceProviderMetadata(ctx: SsoContext): string {
  return serviceProvider(ctx, null, new PendingFlowCache()).generateServiceProviderMetadata(null);
}

/**
 * The IdP in force. With a metadata URL (the admin's, or SAML_IDP_METADATA_URL) its metadata is
 * re-read hourly, so a key the IdP rotates there is followed without a new save; while the URL
 * cannot be read, the details saved with it are used (and kept for the hour, so a down metadata
 * host does not slow every sign-in). Without one, the saved or typed details.
 */
async function idpOf(ctx: SsoContext, settings: SsoSettings, now: Date): Promise<IdpDetails> {
  const s = settings.saml;
  const saved =
    s.idpEntityId && s.ssoUrl && s.certificates.length
      ? { entityId: s.idpEntityId, ssoUrl: s.ssoUrl, certificates: s.certificates }
      : null;
  if (!s.metadataUrl) {
    if (saved) return saved;
    throw new SsoFailure('not_configured');
  }
  let published: IdpDetails;
  try {
    published = await metadataAt(s.metadataUrl);
  } catch (err) {
    if (!saved) throw err;
    rememberMetadata(s.metadataUrl, saved);
    return saved;
  }
  if (!saved || settings.source !== 'admin') return published;
  return followMetadataRefresh(ctx, { url: s.metadataUrl, saved, published, now });
}

async function samlSettings(ctx: SsoContext): Promise<SsoSettings> {
  const settings = await ssoSettings(ctx);
  if (!settings.enabled || settings.protocol !== 'saml') throw new SsoFailure('not_configured');
  return settings;
}

/** Starts a SAML sign-in (or test, or link): the IdP's HTTP-Redirect URL carrying the AuthnRequest. */
export async function beginSamlSignIn(
  ctx: SsoContext,
  input: { purpose: PendingSamlFlow['purpose']; linkUserId?: string; next: string; ip: string; now: Date },
): Promise<{ url: string; pending: PendingSamlFlow }> {
  const settings = await samlSettings(ctx);
  const idp = await idpOf(ctx, settings, input.now).catch(async (err: unknown) => {
    await auditFailure(ctx, err, input, 'saml');
    throw err;
  });
  const cache = new PendingFlowCache();
  const sp = serviceProvider(ctx, idp, cache);
  // A test or a link asks the IdP to sign in again (as OIDC's prompt=login): the right person, now.
  if (input.purpose !== 'signin') sp.options.forceAuthn = true;
  const url = await sp.getAuthorizeUrlAsync('', undefined, {});
  if (!cache.saved) throw new Error('node-saml kept no request ID');
  const pending: PendingSamlFlow = {
    requestId: cache.saved.key,
    requestInstant: cache.saved.value,
    purpose: input.purpose,
    ...(input.linkUserId ? { linkUserId: input.linkUserId } : {}),
    next: input.next,
    startedAt: input.now.toISOString(),
  };
  return { url, pending };
}

export type SamlOutcome =
  | { kind: 'signed-in'; user: SessionUser }
  | { kind: 'test'; claims: Record<string, unknown>; mapped: MappedIdentity }
  | { kind: 'linked' };

interface AcsInput {
  samlResponse: string;
  pending: PendingSamlFlow | undefined;
  sessionUserId: string | null;
  ip: string;
  now: Date;
}

/**
 * Checks the IdP's answer and signs the person in. node-saml checks the signature (the assertion's
 * is required), the audience, the times (60 s skew) and InResponseTo against this session's
 * pending request; this adds the recipient and destination, the issuer, and the assertion used
 * once (insert-once record). Every refusal is audited as `login.sso.failure` with its reason.
 */
export async function completeSamlSignIn(ctx: SsoContext, input: AcsInput): Promise<SamlOutcome> {
  try {
    return await complete(ctx, input);
  } catch (err) {
    const failure =
      err instanceof SsoFailure ? err : new SsoFailure('invalid_response', (err as Error).message);
    await auditFailure(ctx, failure, input, 'saml');
    throw failure;
  }
}

const select = (path: string, xml: string) => {
  try {
    const doc = new DOMParser({ errorHandler: { warning: () => {}, error: () => {} } }).parseFromString(
      xml,
      'text/xml',
    );
    return xpath.select(path, doc as unknown as Node) as Node[];
  } catch {
    return [];
  }
};

/** Names what node-saml refused, from its message (kept in the audit detail, never shown). */
function reasonOf(err: Error, responseXml: string): SsoFailureReason {
  const m = err.message;
  if (/InResponseTo/i.test(m)) return 'unsolicited_response';
  if (/signature/i.test(m)) {
    const signed = select(
      "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']",
      responseXml,
    );
    return signed.length ? 'signature_invalid' : 'response_unsigned';
  }
  if (/audience/i.test(m)) return 'audience_mismatch';
  if (/expired|not yet valid|subject confirmation/i.test(m)) return 'assertion_expired';
  if (err.name === 'SamlStatusError' || /SAML provider returned/.test(m)) return 'provider_error';
  return 'invalid_response';
}

type Confirmation = {
  SubjectConfirmationData?: Array<{ $?: { Recipient?: string; InResponseTo?: string } }>;
};

/** The signed assertion's bearer SubjectConfirmationData (node-saml parsed it from the verified XML only). */
function confirmationsOf(profile: Profile) {
  const assertion = profile.getAssertion?.() as
    | { Assertion?: { Subject?: Array<{ SubjectConfirmation?: Confirmation[] }> } }
    | undefined;
  const confirmations = assertion?.Assertion?.Subject?.[0]?.SubjectConfirmation ?? [];
  return confirmations.map((c) => c.SubjectConfirmationData?.[0]?.$ ?? {});
}

/** The bearer confirmation's Recipient (in the signed assertion) and the Response's Destination must be the ACS. */
function checkRecipient(profile: Profile, responseXml: string, acs: string): void {
  const recipients = confirmationsOf(profile).map((c) => c.Recipient);
  if (!recipients.includes(acs)) throw new SsoFailure('recipient_mismatch', String(recipients));
  const destination = select("/*[local-name()='Response']/@Destination", responseXml)[0]?.nodeValue;
  if (destination && destination !== acs) throw new SsoFailure('recipient_mismatch', destination);
}

/**
 * The signed assertion must answer this session's request. node-saml reads InResponseTo from the
 * outer Response, which the IdP need not sign: an unsolicited (IdP-initiated) assertion re-wrapped
 * in a Response naming the request would pass it. The bearer confirmation inside the signature
 * cannot be re-wrapped.
 */
function checkSolicited(profile: Profile, requestId: string): void {
  const answered = confirmationsOf(profile).map((c) => c.InResponseTo ?? '');
  if (!answered.some((id) => same(id, requestId)))
    throw new SsoFailure('unsolicited_response', `assertion answers ${answered.join(',') || 'nothing'}`);
}

const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

/**
 * The InResponseTo a posted response claims (the Response's, else its assertion's), unverified;
 * null when it is not a SAML response at all. Only says whether a post is about a given flow.
 */
export function claimedInResponseTo(samlResponse: string): string | null {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  if (/<!DOCTYPE/i.test(xml)) return null;
  const found =
    select("/*[local-name()='Response']/@InResponseTo", xml)[0] ??
    select(
      "/*[local-name()='Response']/*[local-name()='Assertion']//*[local-name()='SubjectConfirmationData']/@InResponseTo",
      xml,
    )[0];
  return found?.nodeValue ?? null;
}

/** Whether a posted response claims to answer this pending flow (then the flow ends, whatever the check says). */
export function answersPendingFlow(samlResponse: string, pending: PendingSamlFlow | undefined): boolean {
  const claimed = claimedInResponseTo(samlResponse);
  return Boolean(pending && claimed && same(claimed, pending.requestId));
}

async function validated(ctx: SsoContext, input: AcsInput, idp: IdpDetails): Promise<Profile> {
  const sp = serviceProvider(ctx, idp, new PendingFlowCache(input.pending));
  const xml = Buffer.from(input.samlResponse, 'base64').toString('utf8');
  // A DTD could expand entities or reach outside, and no IdP sends one (as for metadata).
  if (/<!DOCTYPE/i.test(xml)) throw new SsoFailure('invalid_response', 'DOCTYPE in response');
  const result = await sp
    .validatePostResponseAsync({ SAMLResponse: input.samlResponse })
    .catch((err: Error) => {
      throw new SsoFailure(reasonOf(err, xml), err.message);
    });
  const profile = result.profile;
  if (!profile) throw new SsoFailure('invalid_response', 'no assertion');
  // node-saml checks the issuer of logout messages only: the assertion must come from this IdP.
  if (profile.issuer !== idp.entityId) throw new SsoFailure('invalid_response', `issuer ${profile.issuer}`);
  checkRecipient(profile, xml, spUrls(ctx).acs);
  checkSolicited(profile, input.pending?.requestId ?? '');
  if (!profile.nameID) throw new SsoFailure('no_subject');
  // A transient NameID changes at every sign-in: stored as the subject, it would match no one next time.
  if (profile.nameIDFormat === TRANSIENT) throw new SsoFailure('nameid_not_persistent');
  // Used once: a captured assertion is refused even while it is still valid.
  const assertionId = (profile.getAssertion?.() as { Assertion?: { $?: { ID?: string } } })?.Assertion?.$?.ID;
  if (!assertionId) throw new SsoFailure('invalid_response', 'assertion without ID');
  const key = `saml:${createHash('sha256').update(`${idp.entityId}\n${assertionId}`).digest('base64url')}`;
  if (!(await insertIfNew(ctx.models.SsoUsedCode, { _id: key, usedAt: input.now })))
    throw new SsoFailure('assertion_replayed');
  return profile;
}

async function complete(ctx: SsoContext, input: AcsInput): Promise<SamlOutcome> {
  const { pending, now } = input;
  const settings = await samlSettings(ctx);
  if (!pending || now.getTime() - Date.parse(pending.startedAt) > FLOW_MINUTES * 60_000)
    throw new SsoFailure('no_pending_flow');
  const idp = await idpOf(ctx, settings, now);
  const profile = await validated(ctx, input, idp);
  const claims = samlClaims(
    {
      nameID: profile.nameID,
      nameIDFormat: profile.nameIDFormat,
      attributes: (profile.attributes ?? {}) as Record<string, unknown>,
    },
    settings.saml,
  );
  const mapped = mapClaims(profile.nameID, claims, settings.mapping);
  if (pending.purpose === 'test') return { kind: 'test', claims, mapped };
  if (pending.purpose === 'link') {
    const link = {
      pending,
      sessionUserId: input.sessionUserId,
      issuer: idp.entityId,
      sub: profile.nameID,
      now,
    };
    await linkSignedInPerson(ctx, link);
    return { kind: 'linked' };
  }
  const user = await signInPerson(ctx, {
    protocol: 'saml',
    issuer: idp.entityId,
    mapped,
    jitCreate: settings.jitCreate,
    breakGlass: settings.breakGlass,
    ip: input.ip,
    now,
  });
  return { kind: 'signed-in', user };
}
