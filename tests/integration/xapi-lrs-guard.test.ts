import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { lrsSettingsForm, storedLrsSettings } from '../helpers/lrs-settings.js';
import { type Ralph, startRalph } from '../helpers/ralph.js';

/**
 * Where the app sends the LRS secret (#27, review 27-4 and 27-7): only to https on a public address
 * unless XAPI_ALLOWED_HOSTS names the host (here the loopback Ralph's 127.0.0.1), checked at save
 * and on every connection; no redirects followed; the test button says only the status and a
 * generic reason; a new origin needs the secret typed again. And "off" is re-read within 5 s.
 */
const en = translator('en');
let t: TestApp;
let ralph: Ralph;
let redirector: http.Server;
let redirectorUrl: string;
let redirected = 0;

beforeAll(async () => {
  ralph = await startRalph();
  // An allowed host that answers every request with a 307 to Ralph (a body-preserving redirect).
  redirector = http.createServer((req, res) => {
    redirected += 1;
    res.writeHead(307, { location: `${ralph.endpoint}statements` });
    res.end(`secret-answer-${req.url}`);
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/xAPI/`;
  t = await createTestApp({ label: 'xapi-lrs-guard', config: { XAPI_ALLOWED_HOSTS: '127.0.0.1' } });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await ralph?.stop();
  await new Promise<void>((resolve) => redirector?.close(() => resolve()));
});

const models = () => t.app.db.models;
const stored = () => storedLrsSettings(t.app);
const form = (over: Record<string, string> = {}) => lrsSettingsForm(ralph, over);
const ralphPort = () => new URL(ralph.endpoint).port;

async function queueOne(key: string) {
  const user = (await models().User.findOne({ email: 'employee@demo.test' }).lean())!;
  const lessonId = t.app.courses.get(COURSE_ID)!.lessons[0]!.id;
  await t.app.services.xapi.recordLearningEvent({
    event: {
      kind: 'lessonCompleted',
      key,
      userId: user._id,
      courseId: COURSE_ID,
      lessonId,
      at: t.clock.now(),
    },
    now: t.clock.now(),
  });
}

describe('LRS endpoint rules', () => {
  it('refuses at save http, private, loopback, link-local and IPv6 loopback addresses, and a name resolving to loopback', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const cases: Array<[string, string]> = [
      ['http://lrs.example.com/xAPI/', 'endpointHttps'],
      ['https://10.0.0.1/xAPI/', 'endpointPrivate'],
      ['https://192.168.1.20/xAPI/', 'endpointPrivate'],
      ['https://169.254.169.254/latest/', 'endpointPrivate'],
      ['https://[::1]/xAPI/', 'endpointPrivate'],
      ['https://[::ffff:127.0.0.1]/xAPI/', 'endpointPrivate'],
      [`https://localhost:${ralphPort()}/xAPI/`, 'endpointPrivate'],
      [`http://localhost:${ralphPort()}/xAPI/`, 'endpointHttps'],
    ];
    for (const [endpoint, error] of cases) {
      const res = await admin.post('/admin/xapi', form({ endpoint }), '/admin/xapi');
      expect(res.statusCode, endpoint).toBe(400);
      expect(res.body, endpoint).toContain(en.t(`admin.xapi.errors.${error}`));
    }
    expect(await stored()).toBeNull();
    // In the page's language.
    const es = translator('es');
    await createUser(t.app, { email: 'admin-es@demo.test', role: 'admin', locale: 'es' });
    const spanish = await loginAs(t.app, 'admin-es@demo.test');
    const res = await spanish.post(
      '/admin/xapi',
      form({ endpoint: 'https://169.254.169.254/' }),
      '/admin/xapi',
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(es.t('admin.xapi.errors.endpointPrivate'));
    // The allowed host saves over http.
    expect((await admin.post('/admin/xapi', form(), '/admin/xapi')).statusCode).toBe(303);
  });

  it('asks for the secret again when the endpoint moves to another origin, keeps it on the same origin', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post('/admin/xapi', form(), '/admin/xapi')).statusCode).toBe(303);
    const before = (await stored())!;
    const moved = await admin.post(
      '/admin/xapi',
      form({ endpoint: redirectorUrl, secret: '' }),
      '/admin/xapi',
    );
    expect(moved.statusCode).toBe(400);
    expect(moved.body).toContain(en.t('admin.xapi.errors.secretAgain'));
    expect(await stored()).toMatchObject({ endpoint: before.endpoint, secretSealed: before.secretSealed });
    // Same origin, other path: the stored secret stays.
    const samePath = ralph.endpoint.replace(/xAPI\/$/, 'xAPI/v2/');
    expect(
      (await admin.post('/admin/xapi', form({ endpoint: samePath, secret: '' }), '/admin/xapi')).statusCode,
    ).toBe(303);
    expect(await stored()).toMatchObject({ endpoint: samePath, secretSealed: before.secretSealed });
    expect((await admin.post('/admin/xapi', form(), '/admin/xapi')).statusCode).toBe(303);
  });

  it('refuses at send an endpoint written behind the page (a name resolving to loopback), losing nothing', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post('/admin/xapi', form(), '/admin/xapi')).statusCode).toBe(303);
    await models().XapiOutbox.deleteMany({});
    await queueOne('guard-send-localhost');
    // As if the setting had been saved before this rule, or written straight into the database.
    for (const endpoint of [
      `http://localhost:${ralphPort()}/xAPI/`,
      `https://localhost:${ralphPort()}/xAPI/`,
    ]) {
      await models().XapiConfig.updateOne({ _id: 'xapi' }, { $set: { endpoint } });
      const before = (await ralph.statements()).length;
      const report = await t.app.services.xapi.sendXapiBatch({ now: t.clock.now() });
      expect(report.sent, endpoint).toBe(0);
      expect((await ralph.statements()).length, endpoint).toBe(before);
      expect(await models().XapiOutbox.countDocuments({ status: 'pending' }), endpoint).toBe(1);
    }
  });

  it('never follows a redirect: the statements (and the secret) stay home', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect(
      (await admin.post('/admin/xapi', form({ endpoint: redirectorUrl }), '/admin/xapi')).statusCode,
    ).toBe(303);
    await models().XapiOutbox.deleteMany({});
    await queueOne('guard-redirect');
    const before = (await ralph.statements()).length;
    const hits = redirected;
    const report = await t.app.services.xapi.sendXapiBatch({ now: t.clock.now() });
    expect(redirected).toBeGreaterThan(hits);
    expect(report.sent).toBe(0);
    expect((await ralph.statements()).length).toBe(before);
    const row = (await models().XapiOutbox.findOne({}).lean())!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });

    // The test button: no answer body, no error code, a generic reason.
    const test = await admin.post('/admin/xapi/test', {}, '/admin/xapi');
    expect(test.statusCode).toBe(200);
    expect(test.body).toContain(en.t('admin.xapi.testNoAnswer'));
    expect(test.body).not.toMatch(/secret-answer|unexpected redirect|ECONN|ELRS|UND_ERR/);
    expect((await ralph.statements()).length).toBe(before);
  });

  it('shows only the HTTP status and a generic reason for a refused test statement', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect(
      (await admin.post('/admin/xapi', form({ secret: 'wrong-secret' }), '/admin/xapi')).statusCode,
    ).toBe(303);
    const direct = await fetch(`${ralph.endpoint}statements`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ralph.username}:wrong-secret`).toString('base64')}` },
    });
    const ralphAnswer = await direct.text();
    expect(ralphAnswer.length).toBeGreaterThan(5);
    const test = await admin.post('/admin/xapi/test', {}, '/admin/xapi');
    expect(test.body).toContain(en.t('admin.xapi.testRefused', { status: direct.status }));
    expect(test.body).toContain(en.t('admin.xapi.testReason.credentials'));
    expect(test.body).not.toContain(ralphAnswer);
    expect((await admin.post('/admin/xapi', form(), '/admin/xapi')).statusCode).toBe(303);
  });
});

describe('the LRS setting as another instance changes it', () => {
  it('sees sending turned on within 5 s (off is kept briefly), and keeps "on" longer', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const { enabled: _on, ...off } = form();
    expect((await admin.post('/admin/xapi', off, '/admin/xapi')).statusCode).toBe(303);
    await models().XapiOutbox.deleteMany({});
    await queueOne('cache-off-1'); // reads and keeps "off"
    // Another instance turns sending on: a database write this process is not told about.
    await models().XapiConfig.updateOne({ _id: 'xapi' }, { $set: { enabled: true } });
    await queueOne('cache-off-2');
    expect(await models().XapiOutbox.countDocuments({})).toBe(0);
    t.clock.advance(5_000);
    await queueOne('cache-on-1');
    expect(await models().XapiOutbox.countDocuments({})).toBe(1);
    // "On" may be kept longer: turned off elsewhere, this process still queues for a while.
    await models().XapiConfig.updateOne({ _id: 'xapi' }, { $set: { enabled: false } });
    t.clock.advance(5_000);
    await queueOne('cache-on-2');
    expect(await models().XapiOutbox.countDocuments({})).toBe(2);
  });
});
