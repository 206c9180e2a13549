import type { AddressInfo } from 'node:net';
import type { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { startMetricsServer } from '../../src/plugins/metrics.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';

/** One sample's value from a Prometheus text exposition, by its exact name and labels. */
function sample(body: string, series: string): number | undefined {
  for (const line of body.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ label: 'metrics-off', seed: false });
  });
  afterAll(async () => t.close());

  it('does not exist (404), with or without a bearer token', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer anything' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('lms_');
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  let scheduled: Cron[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      label: 'metrics',
      // A schedule that never comes due in the test: the sweep runs when the test triggers it.
      config: { METRICS_TOKEN: TOKEN, SWEEP_SCHEDULE: '0 0 1 1 *', NIGHTLY_SCHEDULE: 'off' },
      extend: (app) => {
        scheduled = startScheduler(app);
      },
    });
  });
  afterAll(async () => t.close());

  const scrape = () => t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });

  it('refuses a missing or wrong token with 401 and a Bearer challenge', async () => {
    const none = await t.app.inject({ url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('lms_');
    const basic = await t.app.inject({ url: '/metrics', headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.statusCode).toBe(401);
  });

  it('counts requests and their latency by route pattern and status, never by raw URL', async () => {
    await t.app.inject({ url: '/login' });
    await t.app.inject({ url: '/login' });
    await t.app.inject({ url: '/verify/NOT-A-REAL-CODE' });
    await t.app.inject({ url: '/no/such/page/abc123' });
    const res = await scrape();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = res.body;
    expect(sample(body, 'lms_http_requests_total{method="GET",route="/login",status="200"}')).toBe(2);
    expect(
      sample(body, 'lms_http_request_duration_seconds_count{method="GET",route="/login",status="200"}'),
    ).toBe(2);
    expect(body).toMatch(/lms_http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/login"/);
    expect(body).toMatch(/lms_http_requests_total\{method="GET",route="\/verify\/:code",status="\d+"\} 1/);
    expect(body).toContain('route="(unmatched)",status="404"');
    expect(body).not.toContain('NOT-A-REAL-CODE');
    expect(body).not.toContain('abc123');
  });

  it('times database commands by command name, and reads the outbox backlog on scrape', async () => {
    const body = (await scrape()).body;
    expect(
      sample(body, 'lms_db_command_duration_seconds_count{command="find",outcome="ok"}'),
    ).toBeGreaterThan(0);
    const outbox = await t.app.db.models.Outbox.countDocuments({});
    expect(sample(body, 'lms_outbox_messages')).toBe(outbox);
    expect(sample(body, 'lms_embedded_database_restarts_total')).toBe(0);
    expect(body).toContain('process_cpu_seconds_total');
  });

  it('records the scheduled sweep: duration, result, last run, and the reminders it sent', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const assigned = await hr.post(
      '/hr/assignments',
      {
        courseId: COURSE_ID,
        targetKind: 'departments',
        departments: 'Sales',
        emails: '',
        dueKind: 'after-assignment',
        dueDays: '30',
        dueDate: '',
        newHireWithinDays: '',
      },
      '/hr/assignments',
    );
    expect(assigned.statusCode).toBe(303);
    t.clock.advanceDays(40); // overdue now: the sweep sends reminders
    const before = await t.app.db.models.Outbox.countDocuments({});
    const sweep = scheduled.find((job) => job.getPattern() === '0 0 1 1 *');
    await sweep!.trigger();
    const reminders = (await t.app.db.models.Outbox.countDocuments({})) - before;
    expect(reminders).toBeGreaterThan(0);
    const body = (await scrape()).body;
    expect(sample(body, 'lms_job_duration_seconds_count{job="sweep",result="ok"}')).toBe(1);
    expect(sample(body, 'lms_job_last_run_timestamp_seconds{job="sweep",result="ok"}')).toBeGreaterThan(0);
    expect(sample(body, 'lms_reminders_sent_total')).toBe(reminders);
    expect(sample(body, 'lms_outbox_messages')).toBe(await t.app.db.models.Outbox.countDocuments({}));
  });

  it('keeps its own registry per app: a second app starts with its own counts', async () => {
    const other = await createTestApp({ label: 'metrics-2', seed: false, config: { METRICS_TOKEN: TOKEN } });
    try {
      const body = (
        await other.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
      ).body;
      expect(body).not.toContain('route="/login"');
    } finally {
      await other.close();
    }
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics alone on its own port, without a token when none is set', async () => {
    const t = await createTestApp({ label: 'metrics-port', seed: false, config: { METRICS_PORT: 0 } });
    const server = await startMetricsServer(t.app, { port: 0, host: '127.0.0.1' });
    try {
      const { port } = server.address() as AddressInfo;
      await t.app.inject({ url: '/login' });
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(
        'lms_http_requests_total{method="GET",route="/login",status="200"} 1',
      );
      expect((await fetch(`http://127.0.0.1:${port}/login`)).status).toBe(404);
      // …and the app's own port has no /metrics.
      expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
      await t.close();
    }
  });
});
