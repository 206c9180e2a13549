import { Invalid } from '../../../domain/errors.js';
import { SsoFailure } from '../../../domain/sso/failure.js';
import {
  type IdpDetails,
  isHttpUrl,
  parseCertificates,
  type Read,
  readIdpMetadata,
} from '../../../domain/sso/saml-metadata.js';
import { type SsoContext, writeSection } from './settings.js';

/** Metadata documents are a few kilobytes (Entra's with several keys ~ 30 KB); more is not metadata. */
export const METADATA_MAX_BYTES = 512 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * Fetches IdP metadata from an http(s) URL: a timeout, no redirect to another scheme (fetch follows
 * http(s) redirects only), and a size cap read as it streams, so a slow or endless answer cannot hold
 * the request or the memory.
 */
export async function fetchMetadata(url: string): Promise<Read<string>> {
  const refuse = (why: string): Read<string> => ({ ok: false, error: `The metadata URL ${why}.` });
  if (!isHttpUrl(url)) return refuse('must start with https:// (or http://)');
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
    });
    if (!res.ok || !res.body) return refuse(`answered ${res.status}`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      size += part.value.byteLength;
      if (size > METADATA_MAX_BYTES) {
        await reader.cancel();
        return refuse(`answered with more than ${METADATA_MAX_BYTES / 1024} KB`);
      }
      chunks.push(part.value);
    }
    return { ok: true, value: Buffer.concat(chunks).toString('utf8') };
  } catch {
    return refuse(`could not be read within ${FETCH_TIMEOUT_MS / 1000} seconds`);
  }
}

const fetched = new Map<string, { idp: IdpDetails; at: number }>();
const METADATA_TTL_MS = 60 * 60 * 1000;

/** Keeps `idp` as what `url` says for the next hour (on this instance). */
export function rememberMetadata(url: string, idp: IdpDetails): void {
  fetched.set(url, { idp, at: Date.now() });
}

/** The IdP's metadata at `url`, read at most hourly per instance. */
export async function metadataAt(url: string): Promise<IdpDetails> {
  const cached = fetched.get(url);
  if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.idp;
  const text = await fetchMetadata(url);
  if (!text.ok) throw new SsoFailure('provider_unreachable', text.error);
  const read = readIdpMetadata(text.value);
  if (!read.ok) throw new SsoFailure('provider_unreachable', read.error);
  rememberMetadata(url, read.value);
  return read.value;
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
  const fail = (error: string): never => {
    throw new Invalid(error);
  };
  const fromXml = (xml: string) => {
    const read = readIdpMetadata(xml);
    return read.ok ? read.value : fail(read.error);
  };
  if (f.metadataXml.trim()) return { ...fromXml(f.metadataXml), metadataUrl: '' };
  const url = f.metadataUrl.trim();
  if (url) {
    const text = await fetchMetadata(url);
    if (!text.ok) return fail(text.error);
    // The next sign-in reads the URL afresh, not what an earlier save left for the hour.
    fetched.delete(url);
    return { ...fromXml(text.value), metadataUrl: url };
  }
  const errors: string[] = [];
  if (!f.entityId.trim()) errors.push('Give the IdP metadata, or enter the IdP entity ID.');
  if (!isHttpUrl(f.ssoUrl.trim()))
    errors.push('Enter the IdP SSO URL (HTTP-Redirect), starting with https://.');
  const certs = parseCertificates(f.certificates);
  if (!certs.ok) errors.push(certs.error);
  if (errors.length || !certs.ok) return fail(errors.join(' '));
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
  if (ctx.sso?.oidc || ctx.sso?.saml)
    throw new Invalid('The connection is set by environment variables (OIDC_* or SAML_IDP_*).');
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
    details: { ...settings, ...shown, certificates: certificates.length },
    now: input.now,
  });
}
