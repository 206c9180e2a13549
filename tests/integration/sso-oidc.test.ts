import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Conflict } from '../../src/domain/errors.js';
import { seal } from '../../src/services/identity/sso/secret-box.js';
import { createTestApp, createUser, loginAs, Session, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { oidcConnectionForm, startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { createSsoTestApp, saveGroupMapping } from './sso-support.js';

const BASE = 'http://localhost:3000';
const KEY = 'a'.repeat(64);
let t: TestApp;
let op: TestProvider;
let adminId: string;

beforeAll(async () => {
  op = await startOidcProvider({
    redirectUri: `${BASE}/auth/oidc/callback`,
    postLogoutRedirectUri: `${BASE}/login`,
    accounts: [
      { sub: 'sub-new', email: 'new.person@demo.test', name: 'New Person' },
      { sub: 'sub-emp', email: 'employee@demo.test', name: 'Emp Loyee' },
      { sub: 'sub-unverified', email: 'hr@demo.test', name: 'Not Verified', emailVerified: false },
      {
        sub: 'sub-grouped',
        email: 'grouped@demo.test',
        name: 'Grouped Person',
        groups: ['LMS-HR', 'Dept-Finance'],
        employeeId: 'E-9001',
      },
      { sub: 'sub-other', email: 'other@demo.test', name: 'Other' },
    ],
  });
  ({ t, adminId } = await createSsoTestApp('sso-oidc', { encryptionKey: KEY }));
  await t.app.services.identity.saveSsoConnection({
    actorId: adminId,
    form: oidcConnectionForm(op),
    now: t.clock.now(),
  });
  await saveGroupMapping(t, adminId, {
    groupsClaim: 'groups',
    departmentClaim: 'department',
    employeeIdClaim: 'employee_id',
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await op?.close();
});

/** Starts at the app, signs in on the provider's page, returns the URL the provider sent back. */
async function providerRoundTrip(s: Session, login: string, tamper?: (authUrl: URL) => void): Promise<URL> {
  const start = await s.get('/auth/oidc/start');
  expect(start.statusCode).toBe(302);
  const authUrl = new URL(start.headers.location as string);
  expect(authUrl.origin).toBe(op.issuer);
  expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authUrl.searchParams.get('state')).toBeTruthy();
  expect(authUrl.searchParams.get('nonce')).toBeTruthy();
  tamper?.(authUrl);
  return op.signIn(authUrl.toString(), login);
}

const callback = (s: Session, url: URL) => s.get(`${url.pathname}${url.search}`);

async function lastFailure() {
  const [event] = await t.app.db.models.AuditEvent.find({ action: 'login.sso.failure' })
    .sort({ seq: -1 })
    .limit(1)
    .lean();
  return event?.details as Record<string, unknown> | undefined;
}

async function signedInEmail(s: Session): Promise<string | null> {
  const res = await s.get('/');
  if (res.statusCode !== 200) return null;
  return /data-user-email="([^"]+)"/.exec(res.body)?.[1] ?? (res.body.includes('Sign out') ? 'yes' : null);
}

describe('OpenID Connect sign-in against a real provider', () => {
  beforeEach(() => {
    t.clock.set(new Date());
  });

  it('creates a new person just in time and lands on My training', async () => {
    const s = new Session(t.app);
    const back = await providerRoundTrip(s, 'sub-new');
    expect(back.pathname).toBe('/auth/oidc/callback');
    const res = await callback(s, back);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const home = await s.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('My training');
    const user = await t.app.db.models.User.findOne({ email: 'new.person@demo.test' }).lean();
    expect(user).toMatchObject({ name: 'New Person', role: 'employee', active: true });
    expect(user!.ssoSubject).toBe(`${op.issuer}|sub-new`);
    const ok = await t.app.db.models.AuditEvent.findOne({
      action: 'login.sso.success',
      targetId: user!._id,
    }).lean();
    expect(ok?.details).toMatchObject({ account: 'created' });
  });

  it('links an existing person by verified e-mail, then finds them by subject', async () => {
    const s = new Session(t.app);
    const res = await callback(s, await providerRoundTrip(s, 'sub-emp'));
    expect(res.statusCode).toBe(303);
    const user = await t.app.db.models.User.findOne({ email: 'employee@demo.test' }).lean();
    expect(user!.ssoSubject).toBe(`${op.issuer}|sub-emp`);
    expect(await signedInEmail(s)).not.toBeNull();

    // The provider's e-mail changes; the stable subject still finds the same person.
    op.accounts.get('sub-emp')!.email = 'renamed@demo.test';
    const s2 = new Session(t.app);
    const again = await callback(s2, await providerRoundTrip(s2, 'sub-emp'));
    expect(again.statusCode).toBe(303);
    const events = await t.app.db.models.AuditEvent.find({
      action: 'login.sso.success',
      targetId: user!._id,
    }).lean();
    expect(events.map((e) => (e.details as { account: string }).account)).toEqual(['linked', 'subject']);
    expect(await t.app.db.models.User.countDocuments({ email: 'renamed@demo.test' })).toBe(0);
  });

  it('never links by an unverified e-mail', async () => {
    const s = new Session(t.app);
    const res = await callback(s, await providerRoundTrip(s, 'sub-unverified'));
    expect(res.statusCode).toBe(403);
    expect(await lastFailure()).toMatchObject({ reason: 'email_not_verified' });
    expect(await signedInEmail(s)).toBeNull();
  });

  it('refuses a wrong state', async () => {
    const s = new Session(t.app);
    const back = await providerRoundTrip(s, 'sub-other');
    back.searchParams.set('state', 'forged-state-value');
    const res = await callback(s, back);
    expect(res.statusCode).toBe(400);
    expect(await lastFailure()).toMatchObject({ reason: 'state_mismatch' });
    expect(await signedInEmail(s)).toBeNull();
  });

  it('refuses a replayed authorization code', async () => {
    const s = new Session(t.app);
    const first = await providerRoundTrip(s, 'sub-other');
    expect((await callback(s, first)).statusCode).toBe(303);
    // A second browser starts its own flow and is handed the used code with its own state.
    const s2 = new Session(t.app);
    const own = await providerRoundTrip(s2, 'sub-other');
    const replay = new URL(first);
    replay.searchParams.set('state', own.searchParams.get('state')!);
    const res = await callback(s2, replay);
    expect(res.statusCode).toBe(400);
    expect(await lastFailure()).toMatchObject({ reason: 'code_replay' });
    expect(await signedInEmail(s2)).toBeNull();
  });

  it('refuses an ID token with a wrong nonce', async () => {
    const s = new Session(t.app);
    const back = await providerRoundTrip(s, 'sub-other', (u) =>
      u.searchParams.set('nonce', 'not-the-apps-nonce'),
    );
    const res = await callback(s, back);
    expect(res.statusCode).toBe(400);
    expect(await lastFailure()).toMatchObject({ reason: 'nonce_mismatch' });
    expect(await signedInEmail(s)).toBeNull();
  });

  it('refuses an expired ID token', async () => {
    const s = new Session(t.app);
    const back = await providerRoundTrip(s, 'sub-other');
    t.clock.advanceMinutes(10);
    const res = await callback(s, back);
    expect(res.statusCode).toBe(400);
    expect(await lastFailure()).toMatchObject({ reason: 'token_expired' });
    expect(await signedInEmail(s)).toBeNull();
  });

  it('two first sign-ins at once make one person', async () => {
    op.accounts.set('sub-twice', { sub: 'sub-twice', email: 'twice@demo.test', name: 'Twice' });
    const [a, b] = [new Session(t.app), new Session(t.app)];
    const [backA, backB] = [await providerRoundTrip(a, 'sub-twice'), await providerRoundTrip(b, 'sub-twice')];
    const [resA, resB] = await Promise.all([callback(a, backA), callback(b, backB)]);
    expect([resA.statusCode, resB.statusCode]).toEqual([303, 303]);
    expect(await t.app.db.models.User.countDocuments({ email: 'twice@demo.test' })).toBe(1);
    const twice = (await t.app.db.models.User.findOne({ email: 'twice@demo.test' }).lean())!;
    expect(twice.ssoSubject).toBe(`${op.issuer}|sub-twice`);
    // FerretDB v1 applies an update's filter outside the write, so both may record the one link.
    const links = await t.app.db.models.AuditEvent.find({
      action: 'person.sso.linked',
      targetId: twice._id,
    }).lean();
    expect(links.length).toBeGreaterThanOrEqual(1);
    // The provider's id for the person is personal data: in the event's erasable part (issue #25).
    for (const l of links) expect(l.personal).toEqual({ subject: `${op.issuer}|sub-twice` });
  });

  it('links the subject through the people service: audited, one subject per person', async () => {
    for (const email of ['new.person@demo.test', 'employee@demo.test']) {
      const user = (await t.app.db.models.User.findOne({ email }).lean())!;
      const linked = await t.app.db.models.AuditEvent.find({
        action: 'person.sso.linked',
        targetId: user._id,
      }).lean();
      expect(linked).toHaveLength(1);
      expect(linked[0]!.personal).toMatchObject({ subject: user.ssoSubject });
    }
    const people = t.app.services.people;
    const hr = (await t.app.db.models.User.findOne({ email: 'hr@demo.test' }).lean())!;
    const now = t.clock.now();
    // Another person's subject, or a second subject for a linked person: refused, nothing written.
    await expect(
      people.linkSsoSubject({ userId: hr._id, subject: `${op.issuer}|sub-new`, actorId: null, now }),
    ).rejects.toThrow(Conflict);
    const emp = (await t.app.db.models.User.findOne({ email: 'employee@demo.test' }).lean())!;
    await expect(
      people.linkSsoSubject({ userId: emp._id, subject: `${op.issuer}|someone-else`, actorId: null, now }),
    ).rejects.toThrow(Conflict);
    expect((await t.app.db.models.User.findById(hr._id).lean())!.ssoSubject).toBeUndefined();
    expect((await t.app.db.models.User.findById(emp._id).lean())!.ssoSubject).toBe(`${op.issuer}|sub-emp`);
    // Linking the same subject again changes nothing and audits nothing.
    expect(
      await people.linkSsoSubject({ userId: emp._id, subject: `${op.issuer}|sub-emp`, actorId: null, now }),
    ).toBe(false);
    expect(
      await t.app.db.models.AuditEvent.countDocuments({ action: 'person.sso.linked', targetId: emp._id }),
    ).toBe(1);
  });

  it('maps groups and claims to role, department and employee id', async () => {
    const s = new Session(t.app);
    expect((await callback(s, await providerRoundTrip(s, 'sub-grouped'))).statusCode).toBe(303);
    const user = await t.app.db.models.User.findOne({ email: 'grouped@demo.test' }).lean();
    expect(user).toMatchObject({ role: 'hr', department: 'Finance', employeeId: 'E-9001' });
  });

  it('refuses an inactive person', async () => {
    await t.app.db.models.User.updateOne({ email: 'new.person@demo.test' }, { $set: { active: false } });
    const s = new Session(t.app);
    const res = await callback(s, await providerRoundTrip(s, 'sub-new'));
    expect(res.statusCode).toBe(403);
    expect(await lastFailure()).toMatchObject({ reason: 'inactive_person' });
  });
});

describe('test connection and sign-out', () => {
  it('shows the admin the claims received without signing in as that person', async () => {
    t.clock.set(new Date());
    const admin = await loginAs(t.app, 'admin@demo.test');
    const start = await admin.post('/admin/sso/test', {}, '/admin/sso');
    expect(start.statusCode).toBe(303);
    const back = await op.signIn(start.headers.location as string, 'sub-grouped');
    const res = await callback(admin, back);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Claims received');
    expect(res.body).toContain('grouped@demo.test');
    expect(res.body).toContain('Dept-Finance');
    // Still the admin: the test never signed anyone in.
    expect((await admin.get('/admin/sso')).statusCode).toBe(200);
  });

  it('refuses a test-connection answer for a session that is no longer an admin: 403, nothing saved or signed in', async () => {
    t.clock.set(new Date());
    const owner = await createUser(t.app, { email: 'demoted.admin@demo.test', role: 'admin' });
    const admin = await loginAs(t.app, 'demoted.admin@demo.test');
    const start = await admin.post('/admin/sso/test', {}, '/admin/sso');
    expect(start.statusCode).toBe(303);
    // While they are at the provider their session stops being an admin's (a copy of the session
    // with the role it had before, as another instance may hold until its cache lapses).
    await t.app.db.models.Session.updateMany(
      { userId: owner._id },
      { $set: { 'data.user.role': 'employee' } },
    );
    t.clock.advance(21_000);
    const configBefore = await t.app.db.models.SsoConfig.find().lean();
    const successes = await t.app.db.models.AuditEvent.countDocuments({ action: 'login.sso.success' });
    const back = await op.signIn(start.headers.location as string, 'sub-grouped');
    const res = await callback(admin, back);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Only an administrator can test the connection.');
    expect(res.body).not.toContain('Claims received');
    expect(res.body).not.toContain('grouped@demo.test');
    expect(await t.app.db.models.SsoConfig.find().lean()).toEqual(configBefore);
    expect(await t.app.db.models.AuditEvent.countDocuments({ action: 'login.sso.success' })).toBe(successes);
    // Still the (now non-admin) person they were, not the provider's account.
    const home = await admin.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain('Grouped Person');
    expect((await admin.get('/admin/sso')).statusCode).toBe(403);
  });

  it("offers the provider's end-session URL on sign-out after an SSO sign-in", async () => {
    t.clock.set(new Date());
    const s = new Session(t.app);
    expect((await callback(s, await providerRoundTrip(s, 'sub-other'))).statusCode).toBe(303);
    const out = await s.post('/logout', {}, '/');
    expect(out.statusCode).toBe(200);
    const link = /id="provider-logout" href="([^"]+)"/.exec(out.body)?.[1]?.replace(/&amp;/g, '&');
    const url = new URL(link!);
    expect(url.origin).toBe(op.issuer);
    expect(url.searchParams.get('id_token_hint')).toBeTruthy();
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/login`);
    expect((await s.get('/')).statusCode).toBe(302);
  });

  it('refuses a person no one matches while just-in-time accounts are off', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const form = {
      providerName: 'Test IdP',
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: '',
      scopes: 'openid email profile',
      enabled: 'on',
    };
    expect((await admin.post('/admin/sso', form, '/admin/sso')).statusCode).toBe(303);
    op.accounts.set('sub-stranger', { sub: 'sub-stranger', email: 'stranger@demo.test', name: 'Stranger' });
    t.clock.set(new Date());
    const s = new Session(t.app);
    const res = await callback(s, await providerRoundTrip(s, 'sub-stranger'));
    expect(res.statusCode).toBe(403);
    expect(await lastFailure()).toMatchObject({ reason: 'no_matching_account' });
    expect(await t.app.db.models.User.countDocuments({ email: 'stranger@demo.test' })).toBe(0);
    await admin.post('/admin/sso', { ...form, jitCreate: 'on' }, '/admin/sso');
  });
});

describe('SSO administration', () => {
  it('keeps the client secret encrypted: the stored document does not contain it', async () => {
    const raw = await t.app.db.conn.db!.collection('sso_config').find({}).toArray();
    expect(raw).toHaveLength(1);
    expect(JSON.stringify(raw)).not.toContain(op.clientSecret);
    const admin = await loginAs(t.app, 'admin@demo.test');
    const page = await admin.get('/admin/sso');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(op.issuer);
    expect(page.body).not.toContain(op.clientSecret);
  });

  it('audits a configuration change without the secret, and needs a CSRF token', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const form = {
      providerName: 'Renamed IdP',
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: '',
      scopes: 'openid email profile',
      enabled: 'on',
      jitCreate: 'on',
    };
    const forged = await admin.post('/admin/sso', { ...form, _csrf: null });
    expect(forged.statusCode).toBe(403);
    const res = await admin.post('/admin/sso', form, '/admin/sso');
    expect(res.statusCode).toBe(303);
    const event = await t.app.db.models.AuditEvent.findOne({ action: 'sso.config.changed' })
      .sort({ seq: -1 })
      .lean();
    expect(event?.details).toMatchObject({ section: 'connection' });
    expect(JSON.stringify(event)).not.toContain(op.clientSecret);
    // A blank secret keeps the stored one: sign-in still works.
    const s = new Session(t.app);
    t.clock.set(new Date());
    expect((await callback(s, await providerRoundTrip(s, 'sub-other'))).statusCode).toBe(303);
    const login = await new Session(t.app).get('/login');
    expect(login.body).toContain('Sign in with Renamed IdP');
  });

  it('refuses password sign-in when switched off, except for a break-glass admin', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const notAdmin = await admin.post(
      '/admin/sso/password',
      { passwordLogin: 'off', breakGlass: 'admin@demo.test\nemployee@demo.test' },
      '/admin/sso',
    );
    expect(notAdmin.statusCode).toBe(400);
    expect(notAdmin.body).toContain('employee@demo.test is not an active admin account');
    expect(notAdmin.body).toContain('id="breakGlass-error"');
    const nobody = await admin.post(
      '/admin/sso/password',
      { passwordLogin: 'off', breakGlass: 'ghost@demo.test' },
      '/admin/sso',
    );
    expect(nobody.statusCode).toBe(400);
    expect(nobody.body).toContain('ghost@demo.test is not an active admin account');
    const off = await admin.post(
      '/admin/sso/password',
      { passwordLogin: 'off', breakGlass: 'admin@demo.test' },
      '/admin/sso',
    );
    expect(off.statusCode).toBe(303);
    const employee = new Session(t.app);
    const refused = await employee.post(
      '/login',
      { email: 'employee@demo.test', password: TEST_PASSWORD },
      '/login',
    );
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toContain('Sign in with');
    const failure = await t.app.db.models.AuditEvent.findOne({ action: 'login.failure' })
      .sort({ seq: -1 })
      .lean();
    expect(failure?.details).toMatchObject({ reason: 'password_sign_in_off' });
    const glass = new Session(t.app);
    const ok = await glass.post('/login', { email: 'admin@demo.test', password: TEST_PASSWORD }, '/login');
    expect(ok.statusCode).toBe(303);
  });

  it('does not reveal who is break-glass: a refused account answers like a wrong password', async () => {
    const errorOf = (body: string) => /id="email-error">([^<]*)</.exec(body)?.[1];
    const tries = [
      { email: 'admin@demo.test', password: 'wrong-password-1' },
      { email: 'employee@demo.test', password: TEST_PASSWORD },
      { email: 'nobody-here@demo.test', password: 'wrong-password-1' },
    ];
    const answers = [];
    for (const body of tries) {
      const res = await new Session(t.app).post('/login', body, '/login');
      answers.push({
        status: res.statusCode,
        error: errorOf(res.body),
        switchedOff: res.body.includes('switched off'),
      });
    }
    expect(answers[0]).toMatchObject({ status: 401, switchedOff: false });
    expect(answers[0]!.error).toBeTruthy();
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});

describe('connection set by environment variables', () => {
  it('signs in with OIDC_* settings and shows them read-only to the admin', async () => {
    const envApp = await createTestApp({
      label: 'sso-oidc-env',
      clock: new TestClock(new Date()),
      config: {
        SSO_ENCRYPTION_KEY: KEY,
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: op.clientId,
        OIDC_CLIENT_SECRET: op.clientSecret,
        OIDC_PROVIDER_NAME: 'Env IdP',
        OIDC_JIT: 'on',
      },
    });
    try {
      const s = new Session(envApp.app);
      const start = await s.get('/auth/oidc/start');
      const back = await op.signIn(start.headers.location as string, 'sub-other');
      expect((await s.get(`${back.pathname}${back.search}`)).statusCode).toBe(303);
      expect(await envApp.app.db.models.User.countDocuments({ email: 'other@demo.test' })).toBe(1);
      const admin = await loginAs(envApp.app, 'admin@demo.test');
      const page = await admin.get('/admin/sso');
      expect(page.body).toContain('set by environment variables');
      expect(page.body).toContain('Env IdP');
      const refused = await admin.post(
        '/admin/sso',
        { providerName: 'x', issuer: op.issuer, clientId: 'x', clientSecret: '', scopes: 'openid' },
        '/admin/sso',
      );
      expect(refused.statusCode).toBe(400);
      expect(await envApp.app.db.conn.db!.collection('sso_config').countDocuments()).toBe(0);
    } finally {
      await envApp.close();
    }
  });
});

describe('provider down', () => {
  it('answers 502 with a page, not a stack trace, when discovery fails', async () => {
    const down = await createTestApp({
      label: 'sso-oidc-down',
      seed: false,
      config: {
        OIDC_ISSUER: 'http://127.0.0.1:9',
        OIDC_CLIENT_ID: 'id',
        OIDC_CLIENT_SECRET: 'secret',
      },
    });
    try {
      const res = await new Session(down.app).get('/auth/oidc/start');
      expect(res.statusCode).toBe(502);
      expect(res.body).toContain('could not be reached');
      expect(res.body).not.toContain('ECONNREFUSED');
      const event = await down.app.db.models.AuditEvent.findOne({ action: 'login.sso.failure' }).lean();
      expect(event?.details).toMatchObject({ reason: 'provider_unreachable' });
    } finally {
      await down.close();
    }
  });
});

describe('linking and roles on people who already exist', () => {
  beforeEach(() => {
    t.clock.set(new Date());
  });

  it('never links an admin or HR account by e-mail: refused, audited, told to ask an admin', async () => {
    const boss = await createUser(t.app, { email: 'boss@demo.test', role: 'admin' });
    op.accounts.set('sub-boss', { sub: 'sub-boss', email: 'boss@demo.test', name: 'Boss' });
    const s = new Session(t.app);
    const res = await callback(s, await providerRoundTrip(s, 'sub-boss'));
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('ask an administrator to link your account');
    expect(await lastFailure()).toMatchObject({ reason: 'privileged_account_not_linked' });
    expect((await t.app.db.models.User.findById(boss._id).lean())!.ssoSubject ?? null).toBeNull();
    expect(await signedInEmail(s)).toBeNull();
  });

  it('links an admin from their own signed-in session, after which single sign-on finds them', async () => {
    const chief = await createUser(t.app, { email: 'chief@demo.test', role: 'admin' });
    op.accounts.set('sub-chief', { sub: 'sub-chief', email: 'chief@demo.test', name: 'Chief' });
    // Linking starts from a password sign-in (an earlier test switched password sign-in off).
    await t.app.services.identity.saveSsoPasswordPolicy({
      actorId: adminId,
      passwordLogin: 'on',
      breakGlass: '',
      now: t.clock.now(),
    });
    const me = await loginAs(t.app, 'chief@demo.test');
    const start = await me.post('/auth/oidc/link', {}, '/admin/sso');
    expect(start.statusCode).toBe(302);
    const back = await op.signIn(start.headers.location as string, 'sub-chief');
    const linked = await callback(me, back);
    expect(linked.statusCode).toBe(303);
    expect((await t.app.db.models.User.findById(chief._id).lean())!.ssoSubject).toBe(
      `${op.issuer}|sub-chief`,
    );
    const s = new Session(t.app);
    expect((await callback(s, await providerRoundTrip(s, 'sub-chief'))).statusCode).toBe(303);
    // Without a signed-in session there is nothing to link to: not sent to the provider.
    const anon = await new Session(t.app).post('/auth/oidc/link', {}, '/login');
    expect(String(anon.headers.location ?? '')).not.toContain(op.issuer);
  });

  it('checks active before linking: an inactive person is neither linked nor audited as linked', async () => {
    const gone = await createUser(t.app, { email: 'gone@demo.test', active: false });
    op.accounts.set('sub-gone', { sub: 'sub-gone', email: 'gone@demo.test', name: 'Gone' });
    const s = new Session(t.app);
    const res = await callback(s, await providerRoundTrip(s, 'sub-gone'));
    expect(res.statusCode).toBe(403);
    expect(await lastFailure()).toMatchObject({ reason: 'inactive_person' });
    expect((await t.app.db.models.User.findById(gone._id).lean())!.ssoSubject ?? null).toBeNull();
    expect(
      await t.app.db.models.AuditEvent.countDocuments({ action: 'person.sso.linked', targetId: gone._id }),
    ).toBe(0);
  });

  it('takes the admin role away when the person leaves the mapped group', async () => {
    op.accounts.set('sub-lead', {
      sub: 'sub-lead',
      email: 'lead@demo.test',
      name: 'Lead',
      groups: ['LMS-Admins'],
    });
    const s = new Session(t.app);
    expect((await callback(s, await providerRoundTrip(s, 'sub-lead'))).statusCode).toBe(303);
    expect((await t.app.db.models.User.findOne({ email: 'lead@demo.test' }).lean())!.role).toBe('admin');
    op.accounts.get('sub-lead')!.groups = [];
    const s2 = new Session(t.app);
    expect((await callback(s2, await providerRoundTrip(s2, 'sub-lead'))).statusCode).toBe(303);
    expect((await t.app.db.models.User.findOne({ email: 'lead@demo.test' }).lean())!.role).toBe('employee');
  });

  it('never changes the role of a break-glass account', async () => {
    const glass = await createUser(t.app, { email: 'glass@demo.test', role: 'admin' });
    await t.app.db.models.User.updateOne(
      { _id: glass._id },
      { $set: { ssoSubject: `${op.issuer}|sub-glass` } },
    );
    await t.app.services.identity.saveSsoPasswordPolicy({
      actorId: adminId,
      passwordLogin: 'on',
      breakGlass: 'glass@demo.test',
      now: t.clock.now(),
    });
    op.accounts.set('sub-glass', { sub: 'sub-glass', email: 'glass@demo.test', name: 'Glass', groups: [] });
    const s = new Session(t.app);
    expect((await callback(s, await providerRoundTrip(s, 'sub-glass'))).statusCode).toBe(303);
    expect((await t.app.db.models.User.findById(glass._id).lean())!.role).toBe('admin');
  });
});

describe('a stored secret this key cannot read', () => {
  it('answers 503 with a page and audits secret_unreadable', async () => {
    const before = await t.app.db.models.SsoConfig.findOne().lean();
    const sealedOther = seal(Buffer.alloc(32, 7), 'another key sealed this');
    await t.app.db.models.SsoConfig.updateOne(
      { _id: before!._id },
      { $set: { 'oidc.clientSecretSealed': sealedOther } },
    );
    try {
      const res = await new Session(t.app).get('/auth/oidc/start');
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('cannot be read');
      expect(res.body).not.toContain('Unsupported state');
      expect(await lastFailure()).toMatchObject({ reason: 'secret_unreadable' });
    } finally {
      await t.app.db.models.SsoConfig.updateOne(
        { _id: before!._id },
        { $set: { 'oidc.clientSecretSealed': before!.oidc.clientSecretSealed } },
      );
    }
  });
});
