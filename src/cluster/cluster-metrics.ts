import type { Worker } from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { MetricsSource } from '../plugins/metrics.js';
import { isToPrimary, type ToWorker } from './messages.js';

/** A worker that does not answer a scrape within this counts with its last answer (the scrape still answers). */
const ASK_TIMEOUT_MS = 5_000;

/** A metric as prom-client's `getMetricsAsJSON()` gives it (only what the carry-over reads). */
interface MetricJson {
  type?: string;
  aggregator?: string;
}

/**
 * What of an exited worker's last metrics stays in the cluster's sums: its counters and histograms
 * that add up across workers. Gauges (its current state) and metrics taken once ('first', 'max')
 * leave with it.
 */
export function carriedOver(metrics: object[]): object[] {
  return metrics.filter((m) => {
    const { type, aggregator = 'sum' } = m as MetricJson;
    return (type === 'counter' || type === 'histogram') && aggregator === 'sum';
  });
}

/**
 * The cluster's metrics, for the primary's METRICS_PORT listener: each worker's registry (as
 * prom-client JSON, over IPC) merged by prom-client's AggregatorRegistry. Counters and histograms
 * add up; each metric's `aggregator` says otherwise (gauges read from the database take the first
 * worker's value, not the sum of identical reads: see services/operations/metrics.ts).
 *
 * Counters never go down when a worker dies or is replaced: the primary keeps each worker's last
 * answer and, when it exits, adds its counters and histograms (`carriedOver`) to every later sum.
 * Prometheus would otherwise read the drop as a counter reset and count the survivors' whole totals
 * again in `rate()`/`increase()`. What the worker counted after its last scrape is lost, as it would
 * be in any process that dies.
 *
 * For the same reason a live worker that misses a scrape (its event loop blocked past 5 s, a lost
 * message) counts with the summed counters of its last answer: stale, never lower. Its gauges are
 * left out of that scrape; a worker that never answered adds nothing.
 */
export function clusterMetricsSource(
  workers: () => Worker[],
): MetricsSource & { workerExited: (id: number) => void } {
  const lastSeen = new Map<number, object[]>();
  const retired: object[][] = [];
  let folding = false;
  let asks = 0;
  /** Exited workers' carried metrics folded into one (a crash loop must not grow the list). */
  const fold = async () => {
    if (folding || retired.length < 2) return;
    folding = true;
    try {
      const n = retired.length;
      const folded = await AggregatorRegistry.aggregate(retired.slice(0, n)).getMetricsAsJSON();
      retired.splice(0, n, folded); // workerExited only appends meanwhile
    } finally {
      folding = false;
    }
  };
  const ask = (worker: Worker): Promise<object[] | null> =>
    new Promise((resolve) => {
      const id = ++asks;
      const done = (metrics: object[] | null) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(metrics);
      };
      const onMessage = (message: unknown) => {
        if (!isToPrimary(message) || message.lms !== 'metrics' || message.ask !== id) return;
        if (message.metrics) lastSeen.set(worker.id, message.metrics);
        done(message.metrics);
      };
      const onExit = () => done(null);
      const timer = setTimeout(() => done(null), ASK_TIMEOUT_MS);
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      const request: ToWorker = { lms: 'metrics?', ask: id };
      if (worker.isConnected()) worker.send(request);
      else done(null);
    });

  return {
    contentType: Registry.PROMETHEUS_CONTENT_TYPE,
    async metrics() {
      const live = workers();
      const answered = await Promise.all(live.map(async (worker) => (await ask(worker)) !== null));
      await fold();
      // Read lastSeen only now, with retired, in one synchronous step: a worker that exited meanwhile
      // is in retired and no longer in lastSeen, so it counts once.
      const registries = live.flatMap((worker, i) => {
        const last = lastSeen.get(worker.id);
        if (!last) return [];
        return [answered[i] ? last : carriedOver(last)];
      });
      // The live workers first: AggregatorRegistry takes each metric's aggregator from the first.
      return AggregatorRegistry.aggregate([...registries, ...retired]).metrics();
    },
    workerExited(id) {
      const last = lastSeen.get(id);
      lastSeen.delete(id);
      if (last) retired.push(carriedOver(last));
    },
  };
}
