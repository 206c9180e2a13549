import type { Worker } from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { MetricsSource } from '../plugins/metrics.js';
import { isToPrimary, type ToWorker } from './messages.js';

/** A worker that does not answer a scrape within this is left out of it (the scrape still answers). */
const ASK_TIMEOUT_MS = 5_000;

/**
 * The cluster's metrics, for the primary's METRICS_PORT listener: each worker's registry (as
 * prom-client JSON, over IPC) merged by prom-client's AggregatorRegistry. Counters and histograms
 * add up; each metric's `aggregator` says otherwise (gauges read from the database take the first
 * worker's value, not the sum of identical reads: see services/operations/metrics.ts).
 */
export function clusterMetricsSource(workers: () => Worker[]): MetricsSource {
  let asks = 0;
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
        if (isToPrimary(message) && message.lms === 'metrics' && message.ask === id) done(message.metrics);
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
      const answers = await Promise.all(workers().map(ask));
      const registries = answers.filter((m): m is object[] => m !== null);
      return AggregatorRegistry.aggregate(registries).metrics();
    },
  };
}
