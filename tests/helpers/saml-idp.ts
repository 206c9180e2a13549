import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

/**
 * A SAML 2.0 identity provider for the tests: real Responses, signed with xml-crypto and the
 * committed test key pair (tests/fixtures/saml), never a fake of the app's checks.
 */
const FIXTURES = new URL('../fixtures/saml/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

export const IDP_KEY = read('idp-key.pem');
export const IDP_CERT = read('idp-cert.pem');
export const OTHER_KEY = read('other-key.pem');
export const OTHER_CERT = read('other-cert.pem');
export const IDP_ENTITY_ID = 'https://idp.test/saml';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const PERSISTENT_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';

export interface ResponseOptions {
  /** The SP entity id the assertion is for (its Audience). */
  audience: string;
  /** The ACS URL: SubjectConfirmationData Recipient and the Response's Destination. */
  recipient: string;
  destination?: string | null;
  /** The AuthnRequest ID this answers; null: unsolicited (IdP-initiated). */
  inResponseTo: string | null;
  nameId: string;
  nameIdFormat?: string;
  attributes?: Record<string, string | string[]>;
  /** Assertion validity, relative to the real clock (node-saml reads it). */
  notBefore?: Date;
  notOnOrAfter?: Date;
  issuer?: string;
  assertionId?: string;
  /** Sign the assertion (default) and/or the whole Response. */
  signAssertion?: boolean;
  signResponse?: boolean;
  key?: string;
  cert?: string;
  /** Changes the XML after signing (a tampered response). */
  tamper?: (xml: string) => string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function attributeXml(attributes: Record<string, string | string[]>): string {
  const items = Object.entries(attributes).map(
    ([name, value]) =>
      `<saml:Attribute Name="${esc(name)}">${[value]
        .flat()
        .map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`)
        .join('')}</saml:Attribute>`,
  );
  return items.length ? `<saml:AttributeStatement>${items.join('')}</saml:AttributeStatement>` : '';
}

function sign(xml: string, elementId: string, local: string, key: string, cert: string): string {
  const sig = new SignedXml({
    privateKey: key,
    publicCert: cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: `//*[local-name(.)='${local}' and @ID='${elementId}']`,
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  // The signature goes right after the element's Issuer, where the schema wants it.
  sig.computeSignature(xml, {
    location: {
      reference: `//*[local-name(.)='${local}' and @ID='${elementId}']/*[local-name(.)='Issuer']`,
      action: 'after',
    },
  });
  return sig.getSignedXml();
}

/** A SAML Response as an IdP sends it, base64 as the SAMLResponse form field carries it. */
export function buildSamlResponse(o: ResponseOptions): {
  samlResponse: string;
  xml: string;
  assertionId: string;
} {
  const now = new Date();
  const iso = (d: Date) => d.toISOString();
  const notBefore = o.notBefore ?? new Date(now.getTime() - 30_000);
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
  const issuer = o.issuer ?? IDP_ENTITY_ID;
  const key = o.key ?? IDP_KEY;
  const cert = o.cert ?? IDP_CERT;
  const assertionId = o.assertionId ?? `_a${randomUUID()}`;
  const responseId = `_r${randomUUID()}`;
  const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
  const destination = o.destination === undefined ? o.recipient : o.destination;
  let assertion =
    `<saml:Assertion xmlns:saml="${SAML}" ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${o.nameIdFormat ?? PERSISTENT_FORMAT}">${esc(o.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${esc(o.recipient)}"${irt}/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>${attributeXml(o.attributes ?? {})}</saml:Assertion>`;
  if (o.signAssertion !== false) assertion = sign(assertion, assertionId, 'Assertion', key, cert);
  let xml =
    `<samlp:Response xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${responseId}" Version="2.0" IssueInstant="${iso(now)}"` +
    `${destination ? ` Destination="${esc(destination)}"` : ''}${irt}>` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `${assertion}</samlp:Response>`;
  if (o.signResponse) xml = sign(xml, responseId, 'Response', key, cert);
  if (o.tamper) xml = o.tamper(xml);
  return { samlResponse: Buffer.from(xml).toString('base64'), xml, assertionId };
}

/** The AuthnRequest in an HTTP-Redirect URL (deflated, base64): its ID, ACS URL and issuer. */
export function readAuthnRequest(url: string): { id: string; acs: string; issuer: string; xml: string } {
  const u = new URL(url);
  const encoded = u.searchParams.get('SAMLRequest');
  if (!encoded) throw new Error(`no SAMLRequest in ${url}`);
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(xml)?.[1] ?? '';
  const issuer = /<(?:saml2?:)?Issuer[^>]*>([^<]*)</.exec(xml)?.[1] ?? '';
  return { id: attr('ID'), acs: attr('AssertionConsumerServiceURL'), issuer, xml };
}

/** IdP metadata as Entra, Okta and Google publish it: entity id, HTTP-Redirect SSO URL, signing certs. */
export function idpMetadataXml(o: { entityId?: string; ssoUrl: string; certs?: string[] }): string {
  const body = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const keys = (o.certs ?? [IDP_CERT])
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${body(c)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${esc(o.entityId ?? IDP_ENTITY_ID)}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
    `<md:NameIDFormat>${EMAIL_FORMAT}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(o.ssoUrl)}/post"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(o.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

export interface TestIdp {
  url: string;
  ssoUrl: string;
  metadataUrl: string;
  /** The AuthnRequests received, newest last. */
  requests: Array<{ id: string; acs: string; issuer: string }>;
  close(): Promise<void>;
}

/**
 * A tiny loopback IdP: `/metadata` serves its metadata; `/sso` reads the HTTP-Redirect AuthnRequest
 * and answers with a page that auto-posts a signed Response to the request's ACS URL, as Entra,
 * Okta and Google do (a cross-site form POST from the IdP's origin).
 */
export async function startTestIdp(opts: {
  person: { nameId: string; attributes: Record<string, string | string[]> };
  audience: string;
  metadataBody?: () => string;
}): Promise<TestIdp> {
  const requests: TestIdp['requests'] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/metadata') {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
      res.end(opts.metadataBody?.() ?? idpMetadataXml({ ssoUrl: `${base}/sso` }));
      return;
    }
    if (url.pathname !== '/sso') {
      res.writeHead(404).end();
      return;
    }
    const request = readAuthnRequest(url.toString());
    requests.push(request);
    const { samlResponse } = buildSamlResponse({
      audience: opts.audience,
      recipient: request.acs,
      inResponseTo: request.id,
      nameId: opts.person.nameId,
      attributes: opts.person.attributes,
    });
    const relay = url.searchParams.get('RelayState') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><body><form method="post" action="${esc(request.acs)}">` +
        `<input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}">` +
        `<input type="hidden" name="RelayState" value="${esc(relay)}">` +
        `<noscript><button type="submit">Continue</button></noscript></form>` +
        `<script>document.forms[0].submit()</script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    ssoUrl: `${base}/sso`,
    metadataUrl: `${base}/metadata`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The admin's SAML connection form, empty but for the provider's name and JIT on; `over` fills fields. */
export const samlConnectionForm = (over: Record<string, string> = {}) => ({
  providerName: 'Test SAML IdP',
  metadataXml: '',
  metadataUrl: '',
  entityId: '',
  ssoUrl: '',
  certificates: '',
  emailAttribute: '',
  nameAttribute: '',
  enabled: true,
  jitCreate: true,
  ...over,
});
