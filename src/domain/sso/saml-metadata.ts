import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';

/** What the app needs from an identity provider's SAML metadata. */
export interface IdpDetails {
  entityId: string;
  /** The SingleSignOnService location for the HTTP-Redirect binding (where AuthnRequests go). */
  ssoUrl: string;
  /** PEM signing certificates; several while the IdP rotates its key. */
  certificates: string[];
}

/** A read, or why not: `error` is a message key of the admin catalogue, filled in with `values`. */
export type Read<T> =
  | { ok: true; value: T }
  | { ok: false; error: string; values?: Record<string, string | number> };

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
export const NOT_METADATA = 'admin.sso.errors.notMetadata';

const select = xpath.useNamespaces({
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
});

/** An http(s) URL, the only kind the browser may be sent to (never javascript: or data:). */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A URL metadata may be read from: https, since the document carries the keys every signature is
 * checked with (over plain http anyone on the path could swap them); plain http only for a loopback
 * host, which never leaves this machine (a local IdP, the tests).
 */
export function isMetadataUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

/** SHA-256 fingerprints of PEM certificates (as `openssl x509 -fingerprint -sha256` shows them), for the audit log. */
export function certificateFingerprints(pems: string[]): string[] {
  return pems.map((pem) => new X509Certificate(pem).fingerprint256);
}

/** One certificate (PEM block or bare base64 DER) as PEM, or null when it is not an X.509 certificate. */
function toPem(text: string): string | null {
  const b64 = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(b64)) return null;
  const pem = `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    return null;
  }
}

/** Certificates typed or pasted by hand: PEM blocks, or bare base64 ones a line each. */
export function parseCertificates(text: string): Read<string[]> {
  const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
  // PEM blocks, then bare base64 ones (each starts "MII", a DER certificate's first bytes).
  const bare = text
    .replace(PEM, '\n\n')
    .split(/\n\s*\n|\r?\n(?=MII)/)
    .filter((b) => b.trim());
  const blocks = [...(text.match(PEM) ?? []), ...bare];
  if (!blocks.length) return { ok: false, error: 'admin.sso.errors.certMissing' };
  const pems = blocks.map(toPem);
  const bad = pems.indexOf(null);
  if (bad >= 0) return { ok: false, error: 'admin.sso.errors.certBad', values: { n: bad + 1 } };
  return { ok: true, value: pems as string[] };
}

function parse(xml: string): Document | null {
  // A DTD could expand entities (billion laughs) or reach outside: metadata never needs one.
  if (/<!DOCTYPE/i.test(xml)) return null;
  let failed = false;
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: () => (failed = true), fatalError: () => (failed = true) },
  }).parseFromString(xml, 'text/xml');
  return failed || !doc?.documentElement ? null : doc;
}

/**
 * Reads IdP metadata as Entra ID, Okta and Google Workspace publish it: the EntityDescriptor's
 * entityID, the HTTP-Redirect SingleSignOnService, and the signing certificates (KeyDescriptors
 * with use="signing" or no use; encryption-only keys are not for checking signatures).
 */
export function readIdpMetadata(xml: string): Read<IdpDetails> {
  const doc = parse(xml.trim());
  if (!doc) return { ok: false, error: NOT_METADATA };
  const entity = select('(//md:EntityDescriptor[md:IDPSSODescriptor])[1]', doc, true) as Element | undefined;
  const idp = entity && (select('md:IDPSSODescriptor', entity, true) as Element | undefined);
  if (!entity || !idp) return { ok: false, error: NOT_METADATA };
  const entityId = entity.getAttribute('entityID')?.trim() ?? '';
  if (!entityId) return { ok: false, error: 'admin.sso.errors.noEntityId' };
  const sso = select(`md:SingleSignOnService[@Binding='${REDIRECT_BINDING}']`, idp, true) as
    | Element
    | undefined;
  if (!sso) return { ok: false, error: 'admin.sso.errors.noSsoUrl' };
  const ssoUrl = sso.getAttribute('Location')?.trim() ?? '';
  if (!isHttpUrl(ssoUrl)) return { ok: false, error: 'admin.sso.errors.ssoUrlNotHttp' };
  const nodes = select(
    "md:KeyDescriptor[not(@use) or @use='' or @use='signing']//ds:X509Certificate",
    idp,
  ) as Node[];
  const texts = nodes.map((n) => n.textContent ?? '').filter((t) => t.trim());
  if (!texts.length) return { ok: false, error: 'admin.sso.errors.noSigningCert' };
  const certificates = texts.map(toPem);
  if (certificates.some((c) => c === null)) return { ok: false, error: 'admin.sso.errors.signingCertBad' };
  return { ok: true, value: { entityId, ssoUrl, certificates: [...new Set(certificates as string[])] } };
}

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** The attribute names Entra ID, Okta and Google Workspace use by default, tried after the admin's own. */
export const EMAIL_ATTRIBUTES = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'email',
  'mail',
  'emailAddress',
  'urn:oid:0.9.2342.19200300.100.1.3',
];
export const NAME_ATTRIBUTES = [
  'http://schemas.microsoft.com/identity/claims/displayname',
  'displayName',
  'name',
  'urn:oid:2.16.840.1.113730.3.1.241',
];
const GIVEN = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'firstName', 'givenName'];
const SURNAME = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  'lastName',
  'sn',
  'surname',
];

/** What a verified SAML assertion says: its NameID and attribute statement. */
export interface SamlAssertionFacts {
  nameID: string;
  nameIDFormat: string;
  attributes: Record<string, unknown>;
}

function first(attributes: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const raw = attributes[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

/**
 * A verified assertion as the claims record `mapClaims` reads (attributes by name, plus `email`,
 * `email_verified` and `name`). The e-mail counts as verified: SAML has no such flag, and the
 * address comes from the organisation's own directory (Entra ID, Okta, Google Workspace), which
 * the administrator chose to trust by configuring this IdP and which people cannot edit there; the
 * assertion carrying it is signed with the IdP's key and bound to this browser's request.
 */
export function samlClaims(
  facts: SamlAssertionFacts,
  names: { emailAttribute?: string; nameAttribute?: string },
): Record<string, unknown> {
  const attrs = facts.attributes;
  const email =
    first(attrs, [names.emailAttribute ?? '', ...EMAIL_ATTRIBUTES].filter(Boolean)) ??
    (facts.nameIDFormat === EMAIL_FORMAT ? facts.nameID : undefined);
  const given = first(attrs, GIVEN);
  const surname = first(attrs, SURNAME);
  const name =
    first(attrs, [names.nameAttribute ?? '', ...NAME_ATTRIBUTES].filter(Boolean)) ??
    ([given, surname].filter(Boolean).join(' ') || undefined);
  return {
    ...attrs,
    nameID: facts.nameID,
    nameIDFormat: facts.nameIDFormat,
    ...(email ? { email, email_verified: true } : {}),
    ...(name ? { name } : {}),
  };
}
