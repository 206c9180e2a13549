import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceContext } from '../context.js';

/** What the metrics read at scrape time rather than count as they happen. */
export interface MetricsReaders {
  /** Messages held in the outbox (mail not handed to an SMTP server), counted on each scrape. */
  outboxBacklog(): Promise<number>;
  /** How often the embedded database was restarted by its supervisor (0 for MONGODB_URI). */
  databaseRestarts(): number;
  /** The xAPI outbox (#27): statements waiting and refused, and how long the oldest has waited. */
  xapiBacklog?(): Promise<XapiGaugeValues>;
}

/** The scheduled jobs (jobs/scheduler.ts): refresher sweep, nightly job, nightly backup. */
/** The xAPI outbox's gauges (#27), from one read per scrape. */
export interface XapiGaugeValues {
  pending: number;
  rejected: number;
  oldestPendingSeconds: number;
  sentToday: number;
  sentLast7Days: number;
}

export type JobName = 'sweep' | 'nightly' | 'backup' | 'xapi';
/** `skipped`: the nightly job found today's work done already (another instance, an earlier run). */
export type JobResult = 'ok' | 'failed' | 'skipped';

/** Request latency buckets (seconds): pages answer in tens of milliseconds, exports in seconds. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Database command buckets: a read by _id takes about a millisecond, a full scan seconds. */
const COMMAND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Job buckets: a sweep of a small organisation takes a second, the nightly at 100k people minutes. */
const JOB_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * One Prometheus registry per app (never prom-client's global one), so tests and the CLI can build
 * several apps in one process. In cluster mode (WORKERS > 1) the primary adds up the workers'
 * registries (cluster/cluster-metrics.ts); `aggregator` keeps what must not be added: gauges every
 * worker reads from the same database take the first worker's value ('first'), and the database's
 * restarts and a job's last run the latest ('max'). Names start with `lms_`; Node's own process
 * metrics keep their
 * standard names (`process_*`, `nodejs_*`).
 */
export function createMetrics(readers: MetricsReaders) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'lms_http_requests_total',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'lms_http_request_duration_seconds',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const commandSeconds = new Histogram({
    name: 'lms_db_command_duration_seconds',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'Database command round trips by command name (find, insert, update, aggregate, …) and outcome',
    labelNames: ['command', 'outcome'] as const,
    buckets: COMMAND_BUCKETS,
    registers,
  });
  const jobSeconds = new Histogram({
    name: 'lms_job_duration_seconds',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'Scheduled job runs (sweep, nightly, backup) by job and result',
    labelNames: ['job', 'result'] as const,
    buckets: JOB_BUCKETS,
    registers,
  });
  const jobLastRun = new Gauge({
    name: 'lms_job_last_run_timestamp_seconds',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'When each job last ended with each result (Unix time): alert when the last ok is too old',
    labelNames: ['job', 'result'] as const,
    aggregator: 'max',
    registers,
  });
  const remindersSent = new Counter({
    name: 'lms_reminders_sent_total',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'Reminder e-mails the refresher sweep sent (or put in the outbox)',
    registers,
  });
  new Gauge({
    name: 'lms_outbox_messages',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'Messages in the outbox (mail kept for /hr/outbox when no SMTP server is set), read on scrape',
    aggregator: 'first',
    registers,
    async collect() {
      this.set(await readers.outboxBacklog());
    },
  });
  const xapiReader = readers.xapiBacklog;
  if (xapiReader) {
    // One read of the outbox per scrape feeds both gauges.
    let latest: Promise<XapiGaugeValues> | null = null;
    const read = () => {
      latest ??= xapiReader().finally(() => {
        latest = null;
      });
      return latest;
    };
    new Gauge({
      name: 'lms_xapi_outbox_statements',
      // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
      help: 'xAPI statements waiting for the LRS (pending) or refused by it (rejected), read on scrape',
      labelNames: ['status'] as const,
      aggregator: 'first',
      registers,
      async collect() {
        const backlog = await read();
        this.set({ status: 'pending' }, backlog.pending);
        this.set({ status: 'rejected' }, backlog.rejected);
      },
    });
    new Gauge({
      name: 'lms_xapi_outbox_oldest_pending_seconds',
      // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
      help: 'How long the oldest xAPI statement not yet accepted by the LRS has waited (0: none waits)',
      aggregator: 'first',
      registers,
      async collect() {
        this.set((await read()).oldestPendingSeconds);
      },
    });
    new Gauge({
      name: 'lms_xapi_sent_statements',
      // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
      help: 'xAPI statements the LRS took today (UTC) and in the last 7 days (from the per-day counts)',
      labelNames: ['period'] as const,
      aggregator: 'first',
      registers,
      async collect() {
        const values = await read();
        this.set({ period: 'today' }, values.sentToday);
        this.set({ period: '7d' }, values.sentLast7Days);
      },
    });
  }
  new Counter({
    name: 'lms_embedded_database_restarts_total',
    // i18n-ignore: Prometheus HELP text for operators' monitoring, not shown in a page
    help: 'Times the embedded FerretDB died and was restarted by the app (0 with MONGODB_URI)',
    aggregator: 'max',
    registers,
    collect() {
      // The supervisor keeps the count; the counter mirrors it at each scrape.
      this.reset();
      this.inc(readers.databaseRestarts());
    },
  });

  return {
    registry,
    /**
     * The text GET /metrics answers with: this registry's, or in a cluster worker the whole
     * cluster's (cluster/worker.ts replaces it with a question to the primary).
     */
    exposition: (): Promise<string> => registry.metrics(),
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    observeCommand(command: string, outcome: 'ok' | 'error', seconds: number) {
      commandSeconds.observe({ command, outcome }, seconds);
    },
    observeJob(job: JobName, result: JobResult, seconds: number, endedAt: Date) {
      jobSeconds.observe({ job, result }, seconds);
      jobLastRun.set({ job, result }, endedAt.getTime() / 1000);
    },
    countReminders(sent: number) {
      remindersSent.inc(sent);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Messages in the outbox, for the backlog gauge. The collection's metadata count (the `count`
 * command, no scan): a scrape every 15 s must not read every stored message.
 */
export async function outboxBacklog(
  ctx: ServiceContext,
  _input: Record<string, never> = {},
): Promise<number> {
  return ctx.models.Outbox.estimatedDocumentCount();
}

/** The metrics area's commands (services.metrics); the registry itself is built per app by plugins/metrics.ts. */
export const metricsCommands = { outboxBacklog };
