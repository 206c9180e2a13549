import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, createUser, csrfFrom, loginAs, Session, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import {
  buildSamlResponse,
  EMAIL_FORMAT,
  IDP_CERT,
  IDP_ENTITY_ID,
  idpMetadataXml,
  OTHER_CERT,
  OTHER_KEY,
  type ResponseOptions,
  readAuthnRequest,
  samlConnectionForm,
  startTestIdp,
  type TestIdp,
} from '../helpers/saml-idp.js';
import { createSsoTestApp, saveGroupMapping } from './sso-support.js';

const BASE = 'http://localhost:3000';
const SP_ENTITY = `${BASE}/auth/saml/metadata`;
const ACS = `${BASE}/auth/saml/acs`;
const SSO_URL = 'https://idp.test/saml/sso';
const MAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const NAME = 'http://schemas.microsoft.com/identity/claims/displayname';
const GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
let t: TestApp;
let idp: TestIdp;
let adminId: string;

const samlForm = samlConnectionForm;

beforeAll(async () => {
  ({ t, adminId } = await createSsoTestApp('sso-saml', { encryptionKey: 'c'.repeat(64) }));
  idp = await startTestIdp({ person: { nameId: 'x', attributes: {} }, audience: SP_ENTITY });
  await t.app.services.identity.saveSamlConnection({
    actorId: adminId,
    form: { ...samlForm(), metadataXml: idpMetadataXml({ ssoUrl: SSO_URL }) },
    now: t.clock.now(),
  });
  await saveGroupMapping(t, adminId, {
    groupsClaim: GROUPS,
    departmentClaim: '',
    employeeIdClaim: 'employeeid',
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

/** Starts at the app: the IdP's HTTP-Redirect URL, and the AuthnRequest it carries. */
async function start(s: Session) {
  const res = await s.get('/auth/saml/start');
  expect(res.statusCode).toBe(302);
  const location = res.headers.location as string;
  expect(location.startsWith(SSO_URL)).toBe(true);
  return readAuthnRequest(location);
}

/**
 * Posts a Response to the ACS as a browser does: the IdP's cross-site POST carries no SameSite=Lax
 * session cookie, so it is sent without cookies; the app's same-site re-post carries them.
 */
async function postToAcs(s: Session, samlResponse: string) {
  const first = await t.app.inject({
    method: 'POST',
    url: '/auth/saml/acs',
    payload: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(first.statusCode).toBe(200);
  expect(first.headers['set-cookie']).toBeUndefined();
  const fields = Object.fromEntries(
    [...first.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1]!,
      m[2]!
        .replace(/&#43;/g, '+')
        .replace(/&#x2F;/g, '/')
        .replace(/&#61;/g, '=')
        .replace(/&quot;/g, '"'),
    ]),
  );
  expect(fields.SAMLResponse).toBe(samlResponse);
  return s.request({
    method: 'POST',
    url: '/auth/saml/acs',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const response = (requestId: string | null, over: Partial<ResponseOptions> = {}) =>
  buildSamlResponse({
    audience: SP_ENTITY,
    recipient: ACS,
    inResponseTo: requestId,
    nameId: 'saml-other',
    attributes: { [MAIL]: 'saml.other@demo.test', [NAME]: 'Other Person' },
    ...over,
  });

async function lastFailure() {
  const [event] = await t.app.db.models.AuditEvent.find({ action: 'login.sso.failure' })
    .sort({ seq: -1 })
    .limit(1)
    .lean();
  return event?.details as Record<string, unknown> | undefined;
}

/** What a refused response must leave as it was: people, SSO links and used-assertion records. */
async function stores() {
  const m = t.app.db.models;
  return {
    users: await m.User.countDocuments({}),
    linked: await m.User.countDocuments({ ssoSubject: { $exists: true, $ne: null } }),
    used: await m.SsoUsedCode.countDocuments({}),
  };
}

async function signedIn(s: Session): Promise<boolean> {
  return (await s.get('/')).statusCode === 200;
}

describe('SAML sign-in with signed responses', () => {
  beforeEach(() => {
    t.clock.set(new Date());
  });

  it('creates a new person just in time and lands on My training', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    expect(req.acs).toBe(ACS);
    expect(req.issuer).toBe(SP_ENTITY);
    const res = await postToAcs(
      s,
      response(req.id, {
        nameId: 'saml-new',
        attributes: { [MAIL]: 'Saml.New@demo.test', [NAME]: 'Saml Newcomer' },
      }).samlResponse,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect((await s.get('/')).body).toContain('My training');
    const user = await t.app.db.models.User.findOne({ email: 'saml.new@demo.test' }).lean();
    expect(user).toMatchObject({ name: 'Saml Newcomer', role: 'employee', active: true });
    expect(user!.ssoSubject).toBe(`${IDP_ENTITY_ID}|saml-new`);
    const ok = await t.app.db.models.AuditEvent.findOne({
      action: 'login.sso.success',
      targetId: user!._id,
    }).lean();
    expect(ok?.details).toMatchObject({ protocol: 'saml', account: 'created' });
  });

  it('links an existing employee by the e-mail of an emailAddress NameID', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    const res = await postToAcs(
      s,
      response(req.id, { nameId: 'employee@demo.test', nameIdFormat: EMAIL_FORMAT, attributes: {} })
        .samlResponse,
    );
    expect(res.statusCode).toBe(303);
    const user = await t.app.db.models.User.findOne({ email: 'employee@demo.test' }).lean();
    expect(user!.ssoSubject).toBe(`${IDP_ENTITY_ID}|employee@demo.test`);
    expect(await signedIn(s)).toBe(true);
  });

  it('maps groups to role and department, and an attribute to the employee id', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    const res = await postToAcs(
      s,
      response(req.id, {
        nameId: 'saml-grouped',
        attributes: {
          [MAIL]: 'saml.grouped@demo.test',
          [NAME]: 'Grouped Person',
          [GROUPS]: ['LMS-HR', 'Dept-Finance'],
          employeeid: 'E-7001',
        },
      }).samlResponse,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/hr');
    const user = await t.app.db.models.User.findOne({ email: 'saml.grouped@demo.test' }).lean();
    expect(user).toMatchObject({ role: 'hr', department: 'Finance', employeeId: 'E-7001' });
  });

  it('accepts a response signed as a whole as well as its assertion', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    const res = await postToAcs(s, response(req.id, { signResponse: true }).samlResponse);
    expect(res.statusCode).toBe(303);
  });

  const refusals: Array<[string, (id: string) => string, string]> = [
    [
      'signed with another key',
      (id) => response(id, { key: OTHER_KEY, cert: OTHER_CERT }).samlResponse,
      'signature_invalid',
    ],
    [
      'changed after signing',
      (id) =>
        response(id, { tamper: (x) => x.replace('saml.other@demo.test', 'admin@demo.test') }).samlResponse,
      'signature_invalid',
    ],
    [
      'for another audience',
      (id) => response(id, { audience: 'https://other.sp.test/' }).samlResponse,
      'audience_mismatch',
    ],
    [
      'for another recipient',
      (id) => response(id, { recipient: 'https://other.sp.test/acs', destination: null }).samlResponse,
      'recipient_mismatch',
    ],
    [
      'for another destination',
      (id) => response(id, { destination: 'https://other.sp.test/acs' }).samlResponse,
      'recipient_mismatch',
    ],
    [
      'expired',
      (id) =>
        response(id, {
          notBefore: new Date(Date.now() - 20 * 60_000),
          notOnOrAfter: new Date(Date.now() - 5 * 60_000),
        }).samlResponse,
      'assertion_expired',
    ],
    [
      'not yet valid',
      (id) =>
        response(id, {
          notBefore: new Date(Date.now() + 5 * 60_000),
          notOnOrAfter: new Date(Date.now() + 10 * 60_000),
        }).samlResponse,
      'assertion_expired',
    ],
    ['unsigned', (id) => response(id, { signAssertion: false }).samlResponse, 'response_unsigned'],
    [
      'signed as a whole but with an unsigned assertion',
      (id) => response(id, { signAssertion: false, signResponse: true }).samlResponse,
      'response_unsigned',
    ],
    [
      'answering another request',
      () => response('_not-the-request-this-browser-sent').samlResponse,
      'unsolicited_response',
    ],
    ['unsolicited (IdP-initiated)', () => response(null).samlResponse, 'unsolicited_response'],
    [
      'unsolicited, re-wrapped in a Response naming this request',
      (id) =>
        response(null, {
          tamper: (x) => x.replace('<samlp:Response ', `<samlp:Response InResponseTo="${id}" `),
        }).samlResponse,
      'unsolicited_response',
    ],
    [
      'with an unsigned assertion injected before the signed one (signature wrapping)',
      (id) =>
        response(id, {
          tamper: (x) => {
            const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(x)![0];
            const forged = signed
              .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
              .replace(/ID="[^"]+"/, 'ID="_forged"')
              .replace('saml.other@demo.test', 'admin@demo.test');
            return x.replace('<saml:Assertion ', `${forged}<saml:Assertion `);
          },
        }).samlResponse,
      'signature_invalid',
    ],
    [
      'whose signed assertion is hidden in Extensions behind a forged one (signature wrapping)',
      (id) =>
        response(id, {
          tamper: (x) => {
            const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(x)![0];
            const forged = signed
              .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
              .replace('saml.other@demo.test', 'admin@demo.test');
            return x.replace(signed, `<samlp:Extensions>${signed}</samlp:Extensions>${forged}`);
          },
        }).samlResponse,
      'signature_invalid',
    ],
    [
      'carrying a DOCTYPE',
      (id) =>
        response(id, {
          tamper: (x) => `<!DOCTYPE samlp:Response [<!ENTITY who "admin@demo.test">]>${x}`,
        }).samlResponse,
      'invalid_response',
    ],
    [
      'with a transient NameID (a new one each sign-in, never a lasting subject)',
      (id) =>
        response(id, {
          nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
          nameId: '_transient-1234',
          attributes: { [MAIL]: 'saml.transient@demo.test' },
        }).samlResponse,
      'nameid_not_persistent',
    ],
    [
      'from another issuer signing with the trusted key',
      (id) => response(id, { issuer: 'https://evil.test/' }).samlResponse,
      'invalid_response',
    ],
  ];
  for (const [what, make, reason] of refusals) {
    it(`refuses a response ${what}: ${reason}, audited, not signed in`, async () => {
      const s = new Session(t.app);
      const req = await start(s);
      const before = await stores();
      const res = await postToAcs(s, make(req.id));
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Sign-in did not work');
      expect(res.body).not.toMatch(/at .*\.js:\d+|node-saml|Invalid signature|xml/i);
      expect(await lastFailure()).toMatchObject({ reason, protocol: 'saml' });
      expect(await signedIn(s)).toBe(false);
      // Nobody created or linked, and no assertion recorded as used.
      expect(await stores()).toEqual(before);
    });
  }

  it('refuses an assertion used before, even within its validity and for a new request', async () => {
    const s = new Session(t.app);
    const first = response((await start(s)).id, { assertionId: '_replayed-assertion-1' });
    expect((await postToAcs(s, first.samlResponse)).statusCode).toBe(303);
    const s2 = new Session(t.app);
    const again = response((await start(s2)).id, { assertionId: '_replayed-assertion-1' });
    const res = await postToAcs(s2, again.samlResponse);
    expect(res.statusCode).toBe(400);
    expect(await lastFailure()).toMatchObject({ reason: 'assertion_replayed' });
    expect(await signedIn(s2)).toBe(false);
    const kept = await t.app.db.models.SsoUsedCode.countDocuments({ _id: { $regex: '^saml:' } });
    expect(kept).toBeGreaterThan(0);
  });

  it('refuses a response posted twice to the same flow', async () => {
    const s = new Session(t.app);
    const r = response((await start(s)).id);
    expect((await postToAcs(s, r.samlResponse)).statusCode).toBe(303);
    const res = await postToAcs(s, r.samlResponse);
    expect(res.statusCode).toBe(400);
    expect(await lastFailure()).toMatchObject({ reason: 'no_pending_flow' });
    expect(await signedIn(s)).toBe(true);
  });

  it('a junk post to the ACS does not cancel the sign-in this browser started', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    // Another site can make the browser post here (the re-post page re-submits it same-site).
    const junk = await s.request({
      method: 'POST',
      url: '/auth/saml/acs',
      payload: 'SAMLResponse=AAAA&resubmitted=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(junk.statusCode).toBe(400);
    const another = await postToAcs(s, response('_someone-elses-request').samlResponse);
    expect(another.statusCode).toBe(400);
    const res = await postToAcs(s, response(req.id).samlResponse);
    expect(res.statusCode).toBe(303);
    expect(await signedIn(s)).toBe(true);
  });

  it('a transient NameID links nothing and creates nobody, and the page says what to change', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    const res = await postToAcs(
      s,
      response(req.id, {
        nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
        nameId: '_transient-employee',
        attributes: { [MAIL]: 'employee@demo.test' },
      }).samlResponse,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/persistent/i);
    expect(await lastFailure()).toMatchObject({ reason: 'nameid_not_persistent' });
    const employee = await t.app.db.models.User.findOne({ email: 'employee@demo.test' }).lean();
    expect(employee?.ssoSubject ?? '').not.toContain('_transient');
  });

  it('refuses a pending flow older than ten minutes', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    t.clock.advanceMinutes(11);
    const res = await postToAcs(s, response(req.id).samlResponse);
    expect(res.statusCode).toBe(400);
    expect(await lastFailure()).toMatchObject({ reason: 'no_pending_flow' });
  });

  it('never links an admin account by e-mail', async () => {
    const s = new Session(t.app);
    const req = await start(s);
    const res = await postToAcs(
      s,
      response(req.id, { nameId: 'saml-admin', attributes: { [MAIL]: 'admin@demo.test' } }).samlResponse,
    );
    expect(res.statusCode).toBe(403);
    expect(await lastFailure()).toMatchObject({ reason: 'privileged_account_not_linked' });
  });
});

describe('SAML service provider metadata and the sign-in page', () => {
  it('publishes the SP metadata at a stable URL', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/auth/saml/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/samlmetadata+xml');
    expect(res.body).toContain(`entityID="${SP_ENTITY}"`);
    expect(res.body).toContain(`Location="${ACS}"`);
    expect(res.body).toContain('WantAssertionsSigned="true"');
    expect(res.body).toContain('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(res.body).toMatch(/<NameIDFormat>urn:oasis:names:tc:SAML:[^<]+<\/NameIDFormat>/);
  });

  it("the sign-in page's button goes to the SAML start route", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login' });
    expect(res.body).toContain('href="/auth/saml/start?next=');
    expect(res.body).toContain('Sign in with Test SAML IdP');
    expect(res.body).not.toContain('/auth/oidc/start');
  });

  it('the OIDC start route does nothing while SAML is the connection in use', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/auth/oidc/start' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
  });
});

describe('SAML administration', () => {
  async function saveSaml(s: Session, fields: Record<string, string>) {
    const page = await s.get('/admin/sso');
    return s.post('/admin/sso/saml', { _csrf: csrfFrom(page.body), ...samlFields(fields) });
  }
  const samlFields = (over: Record<string, string>) => ({
    ...samlConnectionForm(),
    enabled: 'on',
    jitCreate: 'on',
    ...over,
  });
  const stored = async () => (await t.app.db.models.SsoConfig.findById('sso').lean())!;

  it('configures from pasted metadata: audited, several signing certificates kept', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const xml = idpMetadataXml({
      entityId: 'https://pasted.idp.test/',
      ssoUrl: SSO_URL,
      certs: [IDP_CERT, OTHER_CERT],
    });
    const res = await saveSaml(admin, { metadataXml: xml });
    expect(res.statusCode).toBe(303);
    const doc = await stored();
    expect(doc.protocol).toBe('saml');
    expect(doc.saml).toMatchObject({ idpEntityId: 'https://pasted.idp.test/', ssoUrl: SSO_URL });
    expect(doc.saml.certificates).toHaveLength(2);
    const event = await t.app.db.models.AuditEvent.findOne({ action: 'sso.config.changed' })
      .sort({ seq: -1 })
      .lean();
    expect(event?.details).toMatchObject({ section: 'saml', idpEntityId: 'https://pasted.idp.test/' });
    const page = await admin.get('/admin/sso');
    expect(page.body).toContain('https://pasted.idp.test/');
    expect(page.body).toContain(SP_ENTITY);
  });

  it('configures from an uploaded metadata file', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const csrf = csrfFrom((await admin.get('/admin/sso')).body);
    const boundary = '----samlupload';
    const parts = Object.entries({ _csrf: csrf, ...samlFields({}) }).map(
      ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    );
    const file = idpMetadataXml({ entityId: 'https://uploaded.idp.test/', ssoUrl: SSO_URL });
    const body = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="metadataFile"; filename="idp.xml"\r\nContent-Type: text/xml\r\n\r\n`,
      ),
      Buffer.from(file),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await admin.request({
      method: 'POST',
      url: '/admin/sso/saml',
      payload: body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode).toBe(303);
    expect((await stored()).saml.idpEntityId).toBe('https://uploaded.idp.test/');
  });

  it('configures from a metadata URL, fetched at save', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await saveSaml(admin, { metadataUrl: idp.metadataUrl });
    expect(res.statusCode).toBe(303);
    expect((await stored()).saml).toMatchObject({
      idpEntityId: IDP_ENTITY_ID,
      ssoUrl: idp.ssoUrl,
      metadataUrl: idp.metadataUrl,
    });
  });

  it('follows a key rotation published at the saved metadata URL', async () => {
    // The IdP publishes the old key at save, then rotates to the key it signs with now.
    let published = [OTHER_CERT];
    const rotating = await startTestIdp({
      person: { nameId: 'x', attributes: {} },
      audience: SP_ENTITY,
      metadataBody: () => idpMetadataXml({ ssoUrl: SSO_URL, certs: published }),
    });
    onTestFinished(() => rotating.close());
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await saveSaml(admin, { metadataUrl: rotating.metadataUrl })).statusCode).toBe(303);
    published = [IDP_CERT];
    const s = new Session(t.app);
    const res = await postToAcs(s, response((await start(s)).id).samlResponse);
    expect(res.statusCode).toBe(303);
  });

  it('configures by hand: entity id, SSO URL and certificate', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await saveSaml(admin, { entityId: IDP_ENTITY_ID, ssoUrl: SSO_URL, certificates: IDP_CERT });
    expect(res.statusCode).toBe(303);
    expect((await stored()).saml).toMatchObject({
      idpEntityId: IDP_ENTITY_ID,
      ssoUrl: SSO_URL,
      metadataUrl: '',
    });
  });

  it('refuses bad metadata, a bad certificate or a non-http URL with a 400 message; nothing saved', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    // An answer larger than any metadata is cut off as it streams in.
    const big = await startTestIdp({
      person: { nameId: 'x', attributes: {} },
      audience: SP_ENTITY,
      metadataBody: () => `<x>${' '.repeat(600 * 1024)}</x>`,
    });
    onTestFinished(() => big.close());
    const before = await stored();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ metadataXml: '<not-metadata/>' }, /metadata/i],
      [{ metadataXml: 'this is not xml <<' }, /metadata/i],
      [{ metadataXml: idpMetadataXml({ ssoUrl: SSO_URL, certs: [] }) }, /certificate/i],
      [{ entityId: IDP_ENTITY_ID, ssoUrl: SSO_URL, certificates: 'MIIBnotacert' }, /certificate/i],
      [{ entityId: IDP_ENTITY_ID, ssoUrl: 'ftp://idp.test/sso', certificates: IDP_CERT }, /SSO URL/i],
      [{ metadataUrl: 'file:///etc/passwd' }, /metadata URL/i],
      [{ metadataUrl: `${idp.url}/missing` }, /metadata URL/i],
      [{ metadataUrl: big.metadataUrl }, /more than 512 KB/],
    ];
    for (const [fields, message] of cases) {
      const res = await saveSaml(admin, fields);
      expect(res.statusCode, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(res.body).toMatch(message);
    }
    expect((await stored()).updatedAt).toEqual(before.updatedAt);
  });

  it('test connection shows the attributes received, without signing in as that person', async () => {
    await t.app.services.identity.saveSamlConnection({
      actorId: adminId,
      form: { ...samlForm(), metadataXml: idpMetadataXml({ ssoUrl: SSO_URL }) },
      now: t.clock.now(),
    });
    const admin = await loginAs(t.app, 'admin@demo.test');
    const page = await admin.get('/admin/sso');
    const res = await admin.post('/admin/sso/test', { _csrf: csrfFrom(page.body) });
    expect(res.statusCode).toBe(303);
    const req = readAuthnRequest(res.headers.location as string);
    const shown = await postToAcs(
      admin,
      response(req.id, {
        nameId: 'tested-person',
        attributes: { [MAIL]: 'tested.person@demo.test', [GROUPS]: ['LMS-Admins'] },
      }).samlResponse,
    );
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('The connection works');
    expect(shown.body).toContain('tested.person@demo.test');
    expect(shown.body).toContain('LMS-Admins');
    expect(await t.app.db.models.User.countDocuments({ email: 'tested.person@demo.test' })).toBe(0);
  });

  it('links an admin from their own signed-in session, after which SAML finds them', async () => {
    const hr = await createUser(t.app, { email: 'saml.hr@demo.test', role: 'hr' });
    const s = await loginAs(t.app, 'saml.hr@demo.test');
    const page = await s.get('/');
    const res = await s.post('/auth/saml/link', { _csrf: csrfFrom(page.body) });
    expect(res.statusCode).toBe(302);
    const req = readAuthnRequest(res.headers.location as string);
    const linked = await postToAcs(
      s,
      response(req.id, { nameId: 'hr-subject', attributes: {} }).samlResponse,
    );
    expect(linked.statusCode).toBe(303);
    expect((await t.app.db.models.User.findById(hr._id).lean())!.ssoSubject).toBe(
      `${IDP_ENTITY_ID}|hr-subject`,
    );
  });
});

describe('password sign-in switched off still applies with SAML', () => {
  it('refuses a password for anyone but a break-glass admin', async () => {
    await t.app.services.identity.saveSsoPasswordPolicy({
      actorId: adminId,
      passwordLogin: 'off',
      breakGlass: 'admin@demo.test',
      now: t.clock.now(),
    });
    const s = new Session(t.app);
    const refused = await s.post(
      '/login',
      { email: 'employee@demo.test', password: 'demo-password' },
      '/login',
    );
    expect(refused.statusCode).toBe(401);
    await loginAs(t.app, 'admin@demo.test');
    await t.app.services.identity.saveSsoPasswordPolicy({
      actorId: adminId,
      passwordLogin: 'on',
      breakGlass: 'admin@demo.test',
      now: t.clock.now(),
    });
  });
});

describe('SAML set by environment variables', () => {
  it('reads the IdP from SAML_IDP_METADATA_URL, signs in, and shows the connection read-only', async () => {
    const envApp = await createTestApp({
      label: 'sso-saml-env',
      clock: new TestClock(new Date()),
      config: { SAML_IDP_METADATA_URL: idp.metadataUrl, SAML_PROVIDER_NAME: 'Env SAML', SAML_JIT: 'on' },
    });
    try {
      const login = await envApp.app.inject({ method: 'GET', url: '/login' });
      expect(login.body).toContain('href="/auth/saml/start?next=');
      expect(login.body).toContain('Sign in with Env SAML');
      const s = new Session(envApp.app);
      const res = await s.get('/auth/saml/start');
      expect((res.headers.location as string).startsWith(idp.ssoUrl)).toBe(true);
      const req = readAuthnRequest(res.headers.location as string);
      const first = await envApp.app.inject({
        method: 'POST',
        url: '/auth/saml/acs',
        payload: new URLSearchParams({
          SAMLResponse: response(req.id, {
            nameId: 'env-person',
            attributes: { email: 'env.person@demo.test' },
          }).samlResponse,
          resubmitted: '1',
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: s.cookies,
      });
      expect(first.statusCode).toBe(303);
      expect(await envApp.app.db.models.User.countDocuments({ email: 'env.person@demo.test' })).toBe(1);
      const admin = await loginAs(envApp.app, 'admin@demo.test');
      const page = await admin.get('/admin/sso');
      expect(page.body).toContain('set by environment variables');
      const refused = await admin.post(
        '/admin/sso/saml',
        { ...samlForm({ metadataUrl: idp.metadataUrl }), enabled: 'on', jitCreate: 'on' },
        '/admin/sso',
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('set by environment variables (OIDC_* or SAML_IDP_*)');
      expect(await envApp.app.db.conn.db!.collection('sso_config').countDocuments()).toBe(0);
    } finally {
      await envApp.close();
    }
  });
});
