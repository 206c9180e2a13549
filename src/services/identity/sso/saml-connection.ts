import { createHash } from 'node:crypto';
import { insertIfNew } from '../../../db/insert-once.js';
import { SSO_CONFIG_ID } from '../../../db/models/sso.js';
import { Invalid, InvalidAll, type Problem } from '../../../domain/errors.js';
import { SsoFailure } from '../../../domain/sso/failure.js';
import {
  certificateFingerprints,
  type IdpDetails,
  isHttpUrl,
  isMetadataUrl,
  NOT_METADATA,
  parseCertificates,
  type Read,
  readIdpMetadata,
} from '../../../domain/sso/saml-metadata.js';
import { translator } from '../../../i18n/translator.js';
import { type SsoContext, writeSection } from './settings.js';

/** Metadata documents are a few kilobytes (Entra's with several keys ~ 30 KB); more is not metadata. */
export const METADATA_MAX_BYTES = 512 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
/** Redirects followed, each only to the same scheme and host (a moved path, not another server). */
const MAX_REDIRECTS = 3;
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/;

type Refuse = (key: string, values?: Record<string, string | number>) => Read<string>;

/** The body, read as it streams with a size cap, so an endless answer cannot fill the memory. */
async function readCapped(body: ReadableStream<Uint8Array>, refuse: Refuse): Promise<Read<string>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    size += part.value.byteLength;
    if (size > METADATA_MAX_BYTES) {
      await reader.cancel();
      return refuse('admin.sso.errors.urlTooLarge', { kb: METADATA_MAX_BYTES / 1024 });
    }
    chunks.push(part.value);
  }
  return { ok: true, value: Buffer.concat(chunks).toString('utf8') };
}

/** Why the request failed, in words an admin can act on (timeout, TLS, or no connection). */
function networkError(err: unknown, signal: AbortSignal): Read<string> {
  if (signal.aborted)
    return { ok: false, error: 'admin.sso.errors.urlTimeout', values: { seconds: FETCH_TIMEOUT_MS / 1000 } };
  const cause = (err as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (err as Error).name;
  if (TLS_ERROR.test(code)) return { ok: false, error: 'admin.sso.errors.urlTls', values: { code } };
  return { ok: false, error: 'admin.sso.errors.urlConnect', values: { code } };
}

/**
 * Fetches IdP metadata: https only (http for a loopback host), a timeout over the whole exchange,
 * redirects followed only to the same scheme and host (at most three; a redirect elsewhere is
 * refused, naming where it goes, so the admin can give that address), and a size cap.
 */
export async function fetchMetadata(url: string): Promise<Read<string>> {
  const refuse: Refuse = (error, values) => ({ ok: false, error, ...(values ? { values } : {}) });
  if (!isMetadataUrl(url)) return refuse('admin.sso.errors.urlHttps');
  const origin = new URL(url).origin;
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const headers = { accept: 'application/samlmetadata+xml, application/xml, text/xml' };
  try {
    let at = url;
    for (let hop = 0; ; hop++) {
      const res = await fetch(at, { signal, headers, redirect: 'manual' });
      if (res.status < 300 || res.status >= 400) {
        if (!res.ok || !res.body) return refuse('admin.sso.errors.urlStatus', { status: res.status });
        return await readCapped(res.body, refuse);
      }
      const location = res.headers.get('location');
      const next = location ? new URL(location, at) : null;
      if (!next || next.origin !== origin)
        return next
          ? refuse('admin.sso.errors.urlElsewhere', { origin: next.origin })
          : refuse('admin.sso.errors.urlNowhere');
      if (hop >= MAX_REDIRECTS) return refuse('admin.sso.errors.urlRedirects', { max: MAX_REDIRECTS });
      at = next.href;
    }
  } catch (err) {
    return networkError(err, signal);
  }
}

/** The IdP details in a fetched document, or what is wrong with it. */
function metadataFrom(text: Read<string>): Read<IdpDetails> {
  if (!text.ok) return text;
  const read = readIdpMetadata(text.value);
  if (read.ok || read.error !== NOT_METADATA) return read;
  return { ok: false, error: 'admin.sso.errors.urlNotMetadata' };
}

const fetched = new Map<string, { idp: IdpDetails; at: number }>();
const METADATA_TTL_MS = 60 * 60 * 1000;
/** A failed read is kept this long, so a down host does not make every sign-in wait for the timeout. */
const FAILURE_TTL_MS = 60 * 1000;
const failed = new Map<string, { failure: SsoFailure; at: number }>();

/** Keeps `idp` as what `url` says for the next hour (on this instance). */
export function rememberMetadata(url: string, idp: IdpDetails): void {
  fetched.set(url, { idp, at: Date.now() });
}

/** The IdP's metadata at `url`, read at most hourly per instance (a failure kept for a minute). */
export async function metadataAt(url: string): Promise<IdpDetails> {
  const cached = fetched.get(url);
  if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.idp;
  const down = failed.get(url);
  if (down && Date.now() - down.at < FAILURE_TTL_MS) throw down.failure;
  const read = metadataFrom(await fetchMetadata(url));
  if (!read.ok) {
    // The log's detail in English (the refusal is a message key).
    const failure = new SsoFailure('provider_unreachable', translator('en').t(read.error, read.values));
    failed.set(url, { failure, at: Date.now() });
    throw failure;
  }
  failed.delete(url);
  rememberMetadata(url, read.value);
  return read.value;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Audits, once across instances (insert-once key), that the metadata URL now names another IdP. */
async function refuseOtherIdp(
  ctx: SsoContext,
  input: { url: string; saved: IdpDetails; published: IdpDetails; now: Date },
): Promise<void> {
  const { url, saved, published, now } = input;
  console.warn(
    `SAML metadata at ${url} now names the IdP ${published.entityId}, not the saved ${saved.entityId}: the saved details stay in use`,
  );
  const key = `saml-metadata:${createHash('sha256').update(`${url}\n${saved.entityId}\n${published.entityId}`).digest('base64url')}`;
  if (!(await insertIfNew(ctx.models.SsoUsedCode, { _id: key, usedAt: now }))) return;
  await ctx.audit.append(
    {
      actorId: null,
      action: 'sso.config.refresh_refused',
      targetType: 'sso',
      targetId: SSO_CONFIG_ID,
      subjectId: null,
      details: { metadataUrl: url, savedEntityId: saved.entityId, publishedEntityId: published.entityId },
    },
    now,
  );
}

/**
 * What the hourly re-read of the admin's metadata URL may change. Another IdP entity id is refused
 * (a takeover of the URL must not swap the IdP: re-saving the connection does that); a new key or
 * SSO URL is followed, saved (so it is the fallback while the URL is down) and audited once, with
 * the certificates' fingerprints, by whichever instance saves it first.
 */
export async function followMetadataRefresh(
  ctx: SsoContext,
  input: { url: string; saved: IdpDetails; published: IdpDetails; now: Date },
): Promise<IdpDetails> {
  const { url, saved, published, now } = input;
  if (published.entityId !== saved.entityId) {
    rememberMetadata(url, saved);
    await refuseOtherIdp(ctx, input);
    return saved;
  }
  if (sameList(saved.certificates, published.certificates) && saved.ssoUrl === published.ssoUrl)
    return published;
  // Compare-and-set on what this instance saw saved: one instance saves and audits the change.
  const changed = await ctx.models.SsoConfig.updateOne(
    {
      _id: SSO_CONFIG_ID,
      'saml.idpEntityId': saved.entityId,
      'saml.ssoUrl': saved.ssoUrl,
      'saml.certificates': saved.certificates,
    },
    {
      $set: { 'saml.ssoUrl': published.ssoUrl, 'saml.certificates': published.certificates, updatedAt: now },
    },
  );
  if (changed.modifiedCount !== 1) return published;
  await ctx.audit.append(
    {
      actorId: null,
      action: 'sso.config.refreshed',
      targetType: 'sso',
      targetId: SSO_CONFIG_ID,
      subjectId: null,
      details: {
        metadataUrl: url,
        ssoUrl: published.ssoUrl,
        previousFingerprints: certificateFingerprints(saved.certificates),
        certificateFingerprints: certificateFingerprints(published.certificates),
      },
    },
    now,
  );
  return published;
}

/** What the admin's SAML form sends (an uploaded file arrives as `metadataXml`). */
export interface SamlConnectionForm {
  providerName: string;
  metadataXml: string;
  metadataUrl: string;
  entityId: string;
  ssoUrl: string;
  certificates: string;
  emailAttribute: string;
  nameAttribute: string;
  enabled: boolean;
  jitCreate: boolean;
}

/** The IdP from whichever the admin gave: metadata XML (pasted or uploaded), a metadata URL, or by hand. */
async function idpFrom(f: SamlConnectionForm): Promise<IdpDetails & { metadataUrl: string }> {
  const fail = (problems: Problem[]): never => {
    throw new InvalidAll(problems);
  };
  const fromXml = (xml: string) => {
    const read = readIdpMetadata(xml);
    return read.ok ? read.value : fail([{ message: read.error, values: read.values }]);
  };
  if (f.metadataXml.trim()) return { ...fromXml(f.metadataXml), metadataUrl: '' };
  const url = f.metadataUrl.trim();
  if (url) {
    const read = metadataFrom(await fetchMetadata(url));
    if (!read.ok) return fail([{ message: read.error, values: read.values }]);
    // The next sign-in reads the URL afresh, not what an earlier save left for the hour.
    fetched.delete(url);
    failed.delete(url);
    return { ...read.value, metadataUrl: url };
  }
  const errors: Problem[] = [];
  if (!f.entityId.trim()) errors.push({ message: 'admin.sso.errors.entityId' });
  if (!isHttpUrl(f.ssoUrl.trim())) errors.push({ message: 'admin.sso.errors.ssoUrl' });
  const certs = parseCertificates(f.certificates);
  if (!certs.ok) errors.push({ message: certs.error, values: certs.values });
  if (errors.length || !certs.ok) return fail(errors);
  return { entityId: f.entityId.trim(), ssoUrl: f.ssoUrl.trim(), certificates: certs.value, metadataUrl: '' };
}

/**
 * Saves the SAML connection and makes it the one in use (one connection at a time). Nothing is
 * saved unless the metadata or the typed details are valid; audited as `sso.config.changed`.
 */
export async function saveSamlConnection(
  ctx: SsoContext,
  input: { actorId: string; form: SamlConnectionForm; now: Date },
): Promise<void> {
  if (ctx.sso?.oidc || ctx.sso?.saml) throw new Invalid('admin.sso.errors.fixedByEnvironment');
  const f = input.form;
  const idp = await idpFrom(f);
  const saml = {
    idpEntityId: idp.entityId,
    ssoUrl: idp.ssoUrl,
    certificates: idp.certificates,
    metadataUrl: idp.metadataUrl,
    emailAttribute: f.emailAttribute.trim(),
    nameAttribute: f.nameAttribute.trim(),
  };
  const settings = {
    providerName: f.providerName.trim() || 'single sign-on',
    enabled: f.enabled,
    jitCreate: f.jitCreate,
  };
  const { certificates, ...shown } = saml;
  await writeSection(ctx, {
    actorId: input.actorId,
    section: 'saml',
    set: { ...settings, protocol: 'saml', saml },
    details: {
      ...settings,
      ...shown,
      certificates: certificates.length,
      certificateFingerprints: certificateFingerprints(certificates),
    },
    now: input.now,
  });
}
