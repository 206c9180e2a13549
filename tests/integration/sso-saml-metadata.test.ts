import { X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { InvalidAll } from '../../src/domain/errors.js';
import { translator } from '../../src/i18n/translator.js';
import { createTestApp, Session, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import {
  IDP_CERT,
  IDP_ENTITY_ID,
  idpMetadataXml,
  OTHER_CERT,
  samlConnectionForm,
} from '../helpers/saml-idp.js';
import { createSsoTestApp } from './sso-support.js';

/**
 * The IdP metadata the app reads from a URL: only https (http for loopback hosts, as these tests
 * use), errors that say what went wrong, no redirect elsewhere, and an hourly refresh that follows
 * a key rotation (audited) but never a change of IdP.
 */
const SSO_URL = 'https://idp.test/saml/sso';
let t: TestApp;
let adminId: string;

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

/** A loopback HTTP server answering with `handle`, counting the requests it gets. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, base: string) => void) {
  let base = '';
  const server = createServer((req, res) => {
    served.count += 1;
    handle(req, res, base);
  });
  const served = { count: 0, url: '' };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  served.url = base;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return served;
}

const form = (metadataUrl: string) => samlConnectionForm({ metadataUrl });

/** Saves the connection; a refusal is rethrown as the English the admin page shows (its messages are keys). */
const save = (metadataUrl: string) =>
  t.app.services.identity
    .saveSamlConnection({ actorId: adminId, form: form(metadataUrl), now: t.clock.now() })
    .catch((err: unknown) => {
      if (!(err instanceof InvalidAll)) throw err;
      const en = translator('en');
      throw new Error(err.problems.map((p) => en.t(p.message, p.values)).join(' '));
    });

async function events(action: string) {
  return t.app.db.models.AuditEvent.find({ action }).sort({ seq: 1 }).lean();
}

beforeAll(async () => {
  ({ t, adminId } = await createSsoTestApp('sso-saml-metadata', {
    encryptionKey: 'c'.repeat(64),
    logErrors: false,
  }));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('reading IdP metadata from a URL', () => {
  it('refuses plain http to a host other than this machine', async () => {
    await expect(save('http://idp.example.test/federationmetadata.xml')).rejects.toThrow(/https:\/\//);
  });

  it('says what went wrong: an HTTP status, not metadata, nothing listening', async () => {
    const status = await serve((_req, res) => res.writeHead(500).end('oops'));
    await expect(save(`${status.url}/m`)).rejects.toThrow(/answered HTTP 500/);
    const html = await serve((_req, res) => res.writeHead(200).end('<html><body>Sign in</body></html>'));
    await expect(save(`${html.url}/m`)).rejects.toThrow(/not SAML metadata/);
    // Nothing listens on port 1.
    await expect(save('http://127.0.0.1:1/m')).rejects.toThrow(/could not connect/);
  });

  it('follows a redirect on the same host, never one to another host', async () => {
    const same = await serve((req, res, base) => {
      if (req.url === '/old') res.writeHead(302, { location: `${base}/new` }).end();
      else res.writeHead(200).end(idpMetadataXml({ ssoUrl: SSO_URL }));
    });
    await expect(save(`${same.url}/old`)).resolves.toBeUndefined();
    const elsewhere = await serve((_req, res) =>
      res.writeHead(302, { location: `http://localhost:${new URL(same.url).port}/new` }).end(),
    );
    await expect(save(`${elsewhere.url}/m`)).rejects.toThrow(/redirects to another address/);
  });

  it('records the signing certificates’ SHA-256 fingerprints when saved', async () => {
    const idp = await serve((_req, res) =>
      res.writeHead(200).end(idpMetadataXml({ ssoUrl: SSO_URL, certs: [IDP_CERT, OTHER_CERT] })),
    );
    await save(`${idp.url}/m`);
    const last = (await events('sso.config.changed')).at(-1);
    expect(last?.details).toMatchObject({
      section: 'saml',
      certificateFingerprints: [fingerprint(IDP_CERT), fingerprint(OTHER_CERT)],
    });
  });

  it('a refresh that rotates the key is followed, saved and audited with the fingerprints', async () => {
    let certs = [OTHER_CERT];
    const idp = await serve((_req, res) =>
      res.writeHead(200).end(idpMetadataXml({ ssoUrl: SSO_URL, certs })),
    );
    await save(`${idp.url}/m`);
    certs = [IDP_CERT];
    const before = (await events('sso.config.refreshed')).length;
    expect((await new Session(t.app).get('/auth/saml/start')).statusCode).toBe(302);
    const refreshed = (await events('sso.config.refreshed')).slice(before);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.details).toMatchObject({
      previousFingerprints: [fingerprint(OTHER_CERT)],
      certificateFingerprints: [fingerprint(IDP_CERT)],
    });
    const stored = await t.app.db.models.SsoConfig.findById('sso').lean();
    expect(stored!.saml.certificates.map(fingerprint)).toEqual([fingerprint(IDP_CERT)]);
  });

  it('a refresh naming another IdP is refused: the saved one stays, audited once', async () => {
    let entityId = IDP_ENTITY_ID;
    const idp = await serve((_req, res, base) =>
      res
        .writeHead(200)
        .end(idpMetadataXml({ entityId, ssoUrl: entityId === IDP_ENTITY_ID ? SSO_URL : `${base}/evil` })),
    );
    await save(`${idp.url}/m`);
    entityId = 'https://evil.test/saml';
    for (let i = 0; i < 2; i++) {
      const res = await new Session(t.app).get('/auth/saml/start');
      expect(res.statusCode).toBe(302);
      expect((res.headers.location as string).startsWith(SSO_URL)).toBe(true);
    }
    const refused = await events('sso.config.refresh_refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.details).toMatchObject({ savedEntityId: IDP_ENTITY_ID, publishedEntityId: entityId });
    expect((await t.app.db.models.SsoConfig.findById('sso').lean())!.saml.idpEntityId).toBe(IDP_ENTITY_ID);
  });
});

describe('SAML_IDP_METADATA_URL with the metadata host failing', () => {
  it('keeps the failure for a minute: the next sign-in does not ask (and wait) again', async () => {
    const down = await serve((_req, res) => res.writeHead(503).end());
    const envApp = await createTestApp({
      label: 'sso-saml-metadata-env',
      clock: new TestClock(new Date()),
      config: { SAML_IDP_METADATA_URL: `${down.url}/metadata`, SAML_JIT: 'on' },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await new Session(envApp.app).get('/auth/saml/start');
        expect(res.statusCode).toBe(502);
      }
      expect(down.count).toBe(1);
    } finally {
      await envApp.close();
    }
  });
});
