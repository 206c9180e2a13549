import type { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventDoc } from '../../src/db/models/audit-event.js';
import { translator } from '../../src/i18n/translator.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';
import { lrsSettingsForm, storedLrsSettings } from '../helpers/lrs-settings.js';
import { type Ralph, startRalph } from '../helpers/ralph.js';
import { newLearner } from './quiz-support.js';

/**
 * The admin's LRS page (#27): settings (CSRF, validation, admin only, the secret never shown
 * back), the test statement against a real Ralph, the backlog on the page and in /metrics, and
 * the sent rows' retention.
 */
const en = translator('en');
const TOKEN = 'xapi-metrics-token-0123456789abcdef';
let t: TestApp;
let ralph: Ralph;
let scheduled: Cron[] = [];

beforeAll(async () => {
  ralph = await startRalph();
  t = await createTestApp({
    label: 'admin-xapi',
    config: {
      METRICS_TOKEN: TOKEN,
      SWEEP_SCHEDULE: 'off',
      NIGHTLY_SCHEDULE: 'off',
      XAPI_SCHEDULE: '0 0 1 1 *',
      XAPI_ALLOWED_HOSTS: '127.0.0.1',
    },
    extend: (app) => {
      scheduled = startScheduler(app);
    },
  });
}, 60_000);
afterAll(async () => {
  for (const job of scheduled) job.stop();
  await t?.close();
  await ralph?.stop();
});

const models = () => t.app.db.models;
const stored = () => storedLrsSettings(t.app);
const form = (over: Record<string, string | null> = {}) => lrsSettingsForm(ralph, over);

function outboxRow(id: string, status: 'pending' | 'rejected', createdAt: Date) {
  return {
    _id: id,
    statement: { id },
    userId: 'u-outbox',
    kind: 'lessonCompleted',
    status,
    attempts: 0,
    nextAttemptAt: createdAt,
    createdAt,
    lastError: '',
    rejection: status === 'rejected' ? { status: 400, body: 'bad actor' } : null,
  };
}

describe('/admin/xapi', () => {
  it('is for admins only', async () => {
    for (const email of ['hr@demo.test', 'employee@demo.test']) {
      const s = await loginAs(t.app, email);
      expect((await s.get('/admin/xapi')).statusCode).toBe(403);
      expect((await s.post('/admin/xapi', form(), '/')).statusCode).toBe(403);
    }
    expect(await stored()).toBeNull();
    const admin = await loginAs(t.app, 'admin@demo.test');
    const page = await admin.get('/admin/xapi');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="_csrf"');
    expect((await admin.get('/admin')).body).toContain('href="/admin/xapi"');
  });

  it('refuses a post without a valid CSRF token', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post('/admin/xapi', { ...form(), _csrf: null })).statusCode).toBe(403);
    expect((await admin.post('/admin/xapi', { ...form(), _csrf: 'forged' })).statusCode).toBe(403);
    expect(await stored()).toBeNull();
  });

  it('says what to fix: an endpoint that is not an http(s) address, a missing key or secret', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await admin.post(
      '/admin/xapi',
      form({ endpoint: 'javascript:alert(1)', key: '', secret: '' }),
      '/admin/xapi',
    );
    expect(res.statusCode).toBe(400);
    for (const key of ['endpoint', 'key', 'secret'])
      expect(res.body).toContain(en.t(`admin.xapi.errors.${key}`));
    expect(await stored()).toBeNull();
    // A schema refusal: an actor that is neither choice.
    expect((await admin.post('/admin/xapi', form({ actor: 'openid' }), '/admin/xapi')).statusCode).toBe(400);
  });

  it('saves the settings with the secret sealed, audits the change, and never shows the secret again', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await admin.post('/admin/xapi', form(), '/admin/xapi');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/xapi?saved=1');
    const doc = (await stored())!;
    expect(doc).toMatchObject({
      enabled: true,
      endpoint: ralph.endpoint,
      key: ralph.username,
      actor: 'account',
    });
    expect(doc.secretSealed).toMatch(/^v1\./);
    expect(JSON.stringify(doc)).not.toContain(ralph.password);
    const page = await admin.get('/admin/xapi?saved=1');
    expect(page.body).not.toContain(ralph.password);
    expect(page.body).toContain(ralph.endpoint);
    const event = await models().AuditEvent.findOne({ action: 'xapi.config.changed' }).lean<AuditEventDoc>();
    expect(event?.details).toMatchObject({ enabled: true, secretChanged: true });
    expect(JSON.stringify(event)).not.toContain(ralph.password);

    // Saved again without a secret: the stored one stays.
    expect(
      (await admin.post('/admin/xapi', form({ secret: '', actor: 'mbox' }), '/admin/xapi')).statusCode,
    ).toBe(303);
    expect((await stored())!).toMatchObject({ actor: 'mbox', secretSealed: doc.secretSealed });
  });

  it('sends a test statement and shows the LRS’s answer', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const before = (await ralph.statements()).length;
    const res = await admin.post('/admin/xapi/test', {}, '/admin/xapi');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('role="status"');
    expect((await ralph.statements()).length).toBe(before + 1);

    await ralph.stop();
    const down = await admin.post('/admin/xapi/test', {}, '/admin/xapi');
    expect(down.statusCode).toBe(200);
    // A generic reason only: the connection's error code would make the button a port scanner.
    expect(down.body).toContain(en.t('admin.xapi.testNoAnswer'));
    expect(down.body).not.toContain('ECONNREFUSED');
    await ralph.restart();
  });

  it('shows the backlog on the page and in /metrics, and sends it with the scheduled job', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    // By account (an earlier test chose e-mail, and Ralph refuses the demo's reserved .test domain).
    expect((await admin.post('/admin/xapi', form(), '/admin/xapi')).statusCode).toBe(303);
    await models().XapiOutbox.deleteMany({});
    const user = (await models().User.findOne({ email: 'employee@demo.test' }).lean())!;
    const lessonId = t.app.courses.get(COURSE_ID)!.lessons[0]!.id;
    for (const n of [1, 2, 3])
      await t.app.services.xapi.recordLearningEvent({
        event: {
          kind: 'lessonCompleted',
          key: `admin-page-${n}`,
          userId: user._id,
          courseId: COURSE_ID,
          lessonId,
          at: t.clock.now(),
        },
        now: t.clock.now(),
      });
    const page = await admin.get('/admin/xapi');
    expect(page.body).toMatch(/data-backlog="pending"[^>]*>\s*3\s*</);
    const scrape = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scrape.body).toMatch(/^lms_xapi_outbox_statements\{status="pending"\} 3$/m);
    expect(scrape.body).toMatch(/^lms_xapi_outbox_statements\{status="rejected"\} 0$/m);
    expect(scrape.body).toMatch(/^lms_xapi_outbox_oldest_pending_seconds 0$/m);

    const xapiJob = scheduled.find((job) => job.getPattern() === '0 0 1 1 *')!;
    await models().XapiMark.deleteMany({});
    await xapiJob.trigger();
    expect(await t.app.services.xapi.xapiBacklog({ now: t.clock.now() })).toMatchObject({
      pending: 0,
      rejected: 0,
    });
    const after = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(after.body).toMatch(/^lms_job_last_run_timestamp_seconds\{job="xapi",result="ok"\} \d+/m);
    // What the LRS took is counted per day (the rows themselves are deleted).
    expect(after.body).toMatch(/^lms_xapi_sent_statements\{period="today"\} 3$/m);
    expect(after.body).toMatch(/^lms_xapi_sent_statements\{period="7d"\} 3$/m);
    const sentPage = await admin.get('/admin/xapi');
    expect(sentPage.body).toMatch(/data-backlog="sent-today"[^>]*>\s*3\s*</);
    expect(sentPage.body).toMatch(/data-backlog="sent-7d"[^>]*>\s*3\s*</);
  });

  it('with the LRS down, a learner’s pages answer as usual and what they did waits in the outbox', async () => {
    await ralph.stop();
    try {
      await models().XapiOutbox.deleteMany({});
      const learner = await newLearner(t.app, 'xapi-down');
      const course = t.app.courses.get(COURSE_ID)!;
      for (const lesson of course.lessons.slice(0, 2)) {
        const page = await learner.session.get(`/learn/${COURSE_ID}/lessons/${lesson.id}`);
        expect(page.statusCode).toBe(200);
      }
      const queued = await models().XapiOutbox.find({ userId: learner.id }).lean();
      expect(queued.length).toBeGreaterThanOrEqual(2);
      expect(queued.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);

      // Erasing the person removes the statements that name them.
      const result = await t.app.services.privacy.erasePerson({
        userId: learner.id,
        actorId: null,
        reason: 'retention',
        now: t.clock.now(),
      });
      expect(result.counts.xapi_outbox).toBe(queued.length);
      expect(await models().XapiOutbox.countDocuments({ userId: learner.id })).toBe(0);
    } finally {
      await ralph.restart();
    }
  });

  it('deletes waiting and refused rows after the outbox retention period', async () => {
    await models().XapiOutbox.deleteMany({});
    const old = new Date(t.clock.now().getTime() - 100 * 86_400_000);
    const recent = new Date(t.clock.now().getTime() - 10 * 86_400_000);
    await models().XapiOutbox.create([
      outboxRow('old-pending', 'pending', old),
      outboxRow('old-rejected', 'rejected', old),
      outboxRow('recent-pending', 'pending', recent),
      outboxRow('recent-rejected', 'rejected', recent),
    ]);
    const report = await t.app.services.privacy.applyRetention({ now: t.clock.now() });
    expect(report.rules.outbox.xapi_outbox).toBe(2);
    const left = (await models().XapiOutbox.find({}).lean()).map((r) => r._id).sort();
    expect(left).toEqual(['recent-pending', 'recent-rejected']);
  });

  it('requeues or discards a refused statement: admin only, CSRF, audited', async () => {
    await models().XapiOutbox.deleteMany({});
    const refused = { ...outboxRow('r-again', 'rejected', t.clock.now()), attempts: 3 };
    await models().XapiOutbox.create([refused, outboxRow('r-drop', 'rejected', t.clock.now())]);
    await models().XapiOutbox.create(outboxRow('p-waiting', 'pending', t.clock.now()));
    const requeue = (id: string) => `/admin/xapi/rejected/${id}/requeue`;
    const discard = (id: string) => `/admin/xapi/rejected/${id}/discard`;
    for (const email of ['hr@demo.test', 'employee@demo.test']) {
      const s = await loginAs(t.app, email);
      expect((await s.post(requeue('r-again'), {}, '/')).statusCode).toBe(403);
      expect((await s.post(discard('r-drop'), {}, '/')).statusCode).toBe(403);
    }
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post(requeue('r-again'), { _csrf: 'forged' })).statusCode).toBe(403);
    const page = await admin.get('/admin/xapi');
    expect(page.body).toContain(`action="${requeue('r-again')}"`);
    expect(page.body).toContain(`action="${discard('r-drop')}"`);

    const again = await admin.post(requeue('r-again'), {}, '/admin/xapi');
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/admin/xapi?requeued=1');
    expect(await models().XapiOutbox.findById('r-again').lean()).toMatchObject({
      status: 'pending',
      attempts: 0,
      rejection: null,
      nextAttemptAt: t.clock.now(),
    });
    expect((await admin.post(discard('r-drop'), {}, '/admin/xapi')).headers.location).toBe(
      '/admin/xapi?discarded=1',
    );
    expect(await models().XapiOutbox.findById('r-drop').lean()).toBeNull();
    // Only a refused statement: a waiting one, or one that is gone, is left alone.
    expect((await admin.post(discard('p-waiting'), {}, '/admin/xapi')).statusCode).toBe(404);
    expect((await admin.post(requeue('r-drop'), {}, '/admin/xapi')).statusCode).toBe(404);
    expect(await models().XapiOutbox.findById('p-waiting').lean()).not.toBeNull();
    const actions = (
      await models()
        .AuditEvent.find({ action: /^xapi\.statement\./ })
        .lean<AuditEventDoc[]>()
    )
      .map((e) => [e.action, e.details?.statementId])
      .sort();
    expect(actions).toEqual([
      ['xapi.statement.discarded', 'r-drop'],
      ['xapi.statement.requeued', 'r-again'],
    ]);
  });
});
