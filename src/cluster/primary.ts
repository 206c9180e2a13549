import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { Config } from '../config.js';
import { type DatabaseServer, openDatabaseServer } from '../db/database-server.js';
import { serveMetrics } from '../plugins/metrics.js';
import { clusterMetricsSource } from './cluster-metrics.js';
import { ClusterError } from './errors.js';
import { CLUSTER_DATABASE_URI, isToPrimary, type ToWorker } from './messages.js';
import { nextRestart, type RestartState } from './restart-backoff.js';
import { DRAIN_MS, shutdownGracefully } from './shutdown.js';
import { type WorkerEvent, type WorkerRow, workersAfter } from './worker-table.js';

/** How often the primary looks at the embedded database's supervision to tell the workers of a change. */
const STATUS_POLL_MS = 200;

interface Primary {
  config: Config;
  count: number;
  database: DatabaseServer;
  log: (line: string) => void;
  phase: 'starting' | 'running' | 'stopping';
  table: WorkerRow[];
  /** When each worker (by id) last reported ready: the back-off asks how long it served. */
  readyAt: Map<number, number>;
  restart: RestartState;
  pendingForks: Set<NodeJS.Timeout>;
  /** Every worker's metrics, aggregated (METRICS_PORT, and each worker's /metrics). */
  metrics: ReturnType<typeof clusterMetricsSource>;
  announced: boolean;
}

/**
 * The cluster's primary (WORKERS > 1): runs the database once (the embedded FerretDB and its
 * supervisor live here), forks the first worker and waits for it to be ready (it seeds the demo
 * data, so no two workers race to), then forks the rest. It serves no requests itself: it replaces
 * workers that die, keeps the worker table, serves METRICS_PORT, and on SIGTERM/SIGINT drains every
 * worker before it stops the database.
 */
export async function runPrimary(config: Config, count: number, log: (line: string) => void): Promise<void> {
  const database = await openDatabaseServer(config, log);
  const p: Primary = {
    ...{ config, count, database, log, phase: 'starting', table: [], readyAt: new Map() },
    ...{ restart: { quickDeaths: 0, lastQuickDeathAt: null }, pendingForks: new Set(), announced: false },
    metrics: clusterMetricsSource(() =>
      Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined),
    ),
  };
  let metricsServer: Server | undefined;
  const poll = watchDatabaseStatus(p);
  // One drain per cause (a Ctrl-C relayed by npm start, a crash here): see shutdown.ts.
  let stopping: Promise<void> | undefined;
  shutdownGracefully({
    boundMs: DRAIN_MS + 10_000,
    signals: true,
    log: (line) => log(`[cluster] ${line}`),
    logCrash: (err) => log(`[cluster] shutting down after an error: ${(err as Error).message}`),
    close: ({ signal }) => {
      stopping ??= (async () => {
        if (signal)
          log(`[cluster] ${signal}: draining the workers (${Object.keys(cluster.workers ?? {}).length})`);
        p.phase = 'stopping';
        for (const timer of p.pendingForks) clearTimeout(timer);
        metricsServer?.close();
        await drainWorkers(p);
        clearInterval(poll);
        await database.stop();
        log('[cluster] stopped');
      })();
      return stopping;
    },
  });
  cluster.on('exit', (worker, code, signal) => onWorkerExit(p, worker, code, signal));

  try {
    await readyOrExit(fork(p));
  } catch (err) {
    if (p.phase === 'stopping') return; // a signal came during start: shutdownGracefully is closing
    await database.stop();
    throw err;
  }
  p.phase = 'running';
  for (let i = 1; i < count; i++) fork(p);
  if (config.METRICS_PORT !== undefined) {
    const where = { port: config.METRICS_PORT, host: config.METRICS_HOST ?? config.HOST };
    metricsServer = await serveMetrics(p.metrics, where, {
      token: config.METRICS_TOKEN,
      onError: (e) => log(`[cluster] metrics scrape failed: ${(e as Error).message}`),
    });
    log(`[cluster] metrics of every worker on ${where.host}:${where.port} (GET /metrics only)`);
  }
}

function fork(p: Primary): Worker {
  const worker = cluster.fork({ [CLUSTER_DATABASE_URI]: p.database.uri });
  update(p, { kind: 'forked', id: worker.id, pid: worker.process.pid ?? 0 });
  worker.on('message', (message: unknown) => {
    if (isToPrimary(message) && message.lms === 'cluster-metrics?')
      return answerMetrics(p, worker, message.ask);
    if (!isToPrimary(message) || message.lms !== 'state') return;
    update(p, { kind: 'reported', id: worker.id, state: message.state });
    if (message.state === 'ready') p.readyAt.set(worker.id, Date.now());
    // A worker still loading its code when the drain was sent had no listener yet and missed it.
    if (p.phase === 'stopping' && message.state !== 'draining')
      worker.send({ lms: 'drain' } satisfies ToWorker);
  });
  return worker;
}

/** A worker's /metrics (METRICS_TOKEN on the app's port) gets the same cluster-wide text as METRICS_PORT. */
function answerMetrics(p: Primary, worker: Worker, ask: number): void {
  const reply = (text: string | null) => {
    if (worker.isConnected()) worker.send({ lms: 'cluster-metrics', ask, text } satisfies ToWorker);
  };
  p.metrics.metrics().then(reply, (err: unknown) => {
    p.log(`[cluster] metrics scrape failed: ${(err as Error).message}`);
    reply(null);
  });
}

/** Applies a change to the worker table and sends the new table to every worker. */
function update(p: Primary, event: WorkerEvent): void {
  p.table = workersAfter(p.table, event);
  broadcast(p);
  const ready = p.table.filter((w) => w.state === 'ready').length;
  if (p.phase === 'running' && !p.announced && ready === p.count) {
    p.announced = true;
    p.log(`[cluster] ${ready} workers ready (pids ${p.table.map((w) => w.pid).join(', ')})`);
  }
}

function broadcast(p: Primary): void {
  const { status } = p.database;
  const message: ToWorker = {
    lms: 'cluster',
    workers: p.table,
    database: { restarting: status.restarting(), restarts: status.restarts() },
  };
  for (const worker of Object.values(cluster.workers ?? {})) if (worker?.isConnected()) worker.send(message);
}

/** Tells the workers when the embedded database goes down or comes back (their /readyz and /metrics say so). */
function watchDatabaseStatus(p: Primary): NodeJS.Timeout {
  let last = '';
  const timer = setInterval(() => {
    const now = `${p.database.status.restarting()}/${p.database.status.restarts()}`;
    if (now !== last) broadcast(p);
    last = now;
  }, STATUS_POLL_MS);
  timer.unref();
  return timer;
}

/** Resolves when the worker reports ready; rejects if it exits first. */
function readyOrExit(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (isToPrimary(message) && message.lms === 'state' && message.state === 'ready') resolve();
    });
    worker.once('exit', (code, signal) =>
      reject(
        new ClusterError(
          `The first app worker stopped during start (${how(code, signal)}): see its log above.`,
        ),
      ),
    );
  });
}

function how(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** A worker that ends outside a shutdown is replaced, after a back-off if they keep dying young. */
function onWorkerExit(p: Primary, worker: Worker, code: number | null, signal: string | null): void {
  const pid = worker.process.pid;
  update(p, { kind: 'exited', id: worker.id });
  p.metrics.workerExited(worker.id);
  const now = Date.now();
  const readyAt = p.readyAt.get(worker.id);
  p.readyAt.delete(worker.id);
  if (p.phase !== 'running') return;
  const { delayMs, ...restart } = nextRestart(p.restart, {
    at: now,
    readyForMs: readyAt === undefined ? null : now - readyAt,
  });
  p.restart = restart;
  const wait =
    delayMs === 0
      ? ''
      : ` in ${delayMs / 1000} s (${restart.quickDeaths} in a row died before serving a minute)`;
  p.log(`[cluster] worker ${worker.id} (pid ${pid}) died (${how(code, signal)}); replacing it${wait}`);
  const timer = setTimeout(() => {
    p.pendingForks.delete(timer);
    if (p.phase === 'running') fork(p);
  }, delayMs);
  p.pendingForks.add(timer);
}

/** Tells every worker to drain and waits for them all; any still running after DRAIN_MS is killed. */
async function drainWorkers(p: Primary): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const exits = workers.map(
    (w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))),
  );
  const drain: ToWorker = { lms: 'drain' };
  for (const w of workers) if (w.isConnected()) w.send(drain);
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), DRAIN_MS).unref());
  if ((await Promise.race([Promise.all(exits), timeout])) !== 'timeout') return;
  for (const w of workers.filter((w) => !w.isDead())) {
    p.log(
      `[cluster] worker ${w.id} (pid ${w.process.pid}) still running after ${DRAIN_MS / 1000} s: killing it`,
    );
    w.process.kill('SIGKILL');
  }
  await Promise.all(exits);
}
