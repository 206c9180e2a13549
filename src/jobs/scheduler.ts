import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { holderId } from '../domain/lease.js';
import type { HeldLease, LeasedRun } from '../services/jobs/index.js';
import { backupDirectory, backupSchedule, ledgerFile } from '../services/operations/backup/index.js';

const JOB_KEYS = ['sweep', 'nightly', 'backup', 'xapi'] as const;

/** This app's lease holder id and the jobs it leads right now (lms_job_leader). */
interface LeaseState {
  holder: string;
  leading: Set<string>;
}
const leaseStates = new WeakMap<FastifyInstance, LeaseState>();

function leaseState(app: FastifyInstance): LeaseState {
  let state = leaseStates.get(app);
  if (state) return state;
  const created: LeaseState = { holder: holderId(hostname(), process.pid), leading: new Set() };
  state = created;
  leaseStates.set(app, state);
  if (app.metrics)
    new Gauge({
      name: 'lms_job_leader',
      // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
      help: 'Whether this instance holds the job lease and runs the job now (1) or not (0)',
      labelNames: ['job'] as const,
      registers: [app.metrics.registry],
      collect() {
        for (const job of JOB_KEYS) this.set({ job }, created.leading.has(job) ? 1 : 0);
      },
    });
  return state;
}

/** This app instance's lease holder id (`host:pid:random`), as `job_leases` and refusals name it. */
export function jobHolder(app: FastifyInstance): string {
  return leaseState(app).holder;
}

/**
 * Runs a job under its lease (issue #30): exactly one instance (or `jobs:run`) runs each job at a
 * time. Refused (`ran: false`, with the holder) while another holds it; `run` gets the lease's
 * check for its write batches.
 */
export async function runLeasedJob<R extends object>(
  app: FastifyInstance,
  job: string,
  run: (lease: HeldLease) => Promise<R>,
): Promise<LeasedRun<R>> {
  const state = leaseState(app);
  const result = await app.services.jobs.runUnderLease({
    job,
    holder: state.holder,
    leaseMs: app.config.JOB_LEASE_SECONDS * 1000,
    run: async (lease: HeldLease) => {
      state.leading.add(job);
      try {
        return await run(lease);
      } finally {
        state.leading.delete(job);
      }
    },
  });
  return result as LeasedRun<R>;
}

/**
 * A finished (or failed: `report` null) run in /metrics: its duration and result, and the
 * reminders a sweep sent. A nightly run that found the day's work done is "skipped".
 */
function recordJob(app: FastifyInstance, key: string, report: object | null, startedMs: number): void {
  const metrics = app.metrics;
  if (!metrics || (key !== 'sweep' && key !== 'nightly' && key !== 'backup' && key !== 'xapi')) return;
  const seconds = (performance.now() - startedMs) / 1000;
  const result = report === null ? 'failed' : 'ran' in report && report.ran === false ? 'skipped' : 'ok';
  metrics.observeJob(key, result, seconds, app.clock.now());
  if (report && 'remindersSent' in report && typeof report.remindersSent === 'number')
    metrics.countReminders(report.remindersSent);
}

/**
 * Runs the refresher sweep on `config.SWEEP_SCHEDULE`, the nightly job on
 * `config.NIGHTLY_SCHEDULE`, the nightly backup on `BACKUP_SCHEDULE` and the xAPI sender on
 * `XAPI_SCHEDULE` ("off" disables any).
 * Several app instances may each run them: each job runs under its lease (`job_leases`, one
 * instance at a time; a dead holder's job is taken over after JOB_LEASE_SECONDS), and underneath
 * the sweep is idempotent, every reminder is claimed by a unique insert, and the nightly job by a
 * day marker, so even overlapping runs never double-send. Within one process the two jobs take turns (a
 * job's reads would otherwise hold up the other's writes on FerretDB), and `protect` skips a tick
 * while the same job is still busy or waiting its turn. The jobs are app.services' commands.
 */
export function startScheduler(app: FastifyInstance): Cron[] {
  const { SWEEP_SCHEDULE, NIGHTLY_SCHEDULE, XAPI_SCHEDULE } = app.config;
  const BACKUP_SCHEDULE = backupSchedule(app.config);
  const patterns = [SWEEP_SCHEDULE, NIGHTLY_SCHEDULE, BACKUP_SCHEDULE, XAPI_SCHEDULE];
  if (patterns.every((p) => p === 'off')) return [];
  let turn: Promise<void> = Promise.resolve();
  const inTurn = (key: string, name: string, run: (lease: HeldLease) => Promise<object>) => () => {
    const mine = turn.then(async () => {
      const started = performance.now();
      try {
        const leased = await runLeasedJob(app, key, run);
        if (!leased.ran) {
          app.log.info({ job: key, heldBy: leased.heldBy, until: leased.until }, `${name} runs elsewhere`);
          return;
        }
        const report = leased.report;
        app.log.info({ [key]: report }, `${name} finished`);
        recordJob(app, key, report, started);
      } catch (err) {
        app.log.error({ err }, `${name} failed`);
        recordJob(app, key, null, started);
      }
    });
    turn = mine;
    return mine;
  };
  const jobs: Cron[] = [];
  const schedule = (
    pattern: string,
    key: (typeof JOB_KEYS)[number],
    name: string,
    run: (lease: HeldLease) => Promise<object>,
  ) => {
    if (pattern === 'off') return;
    jobs.push(new Cron(pattern, { protect: true, timezone: 'UTC' }, inTurn(key, name, run)));
  };
  const { runSweep, runNightly } = app.services.jobs;
  leaseState(app); // lms_job_leader from the first scrape
  schedule(SWEEP_SCHEDULE, 'sweep', 'refresher sweep', (lease) =>
    runSweep({ now: app.clock.now(), checkLease: lease.check }),
  );
  schedule(NIGHTLY_SCHEDULE, 'nightly', 'nightly job', () => runNightly({ now: app.clock.now() }));
  // In turn with the jobs, so no sweep or nightly writes while the collections are read.
  const backup = {
    dir: backupDirectory(app.config.DATA_DIR),
    keep: app.config.BACKUP_KEEP,
    ledger: ledgerFile(app.config.DATA_DIR, app.config.DB_NAME),
  };
  schedule(BACKUP_SCHEDULE, 'backup', 'nightly backup', () =>
    app.services.backup.runScheduledBackup({ ...backup, now: app.clock.now() }),
  );
  // The xAPI outbox (#27): a run reads nothing while the LRS is off, and sends at most
  // MAX_BATCHES_PER_RUN batches, so it never holds the other jobs' turn for long.
  schedule(XAPI_SCHEDULE, 'xapi', 'xAPI sender', (lease) =>
    app.services.xapi.sendXapiBatch({ now: app.clock.now(), checkLease: lease.check }),
  );
  // The jobs' mailer is app.services' own, closed with the app.
  app.addHook('onClose', async () => {
    for (const job of jobs) job.stop();
  });
  return jobs;
}
