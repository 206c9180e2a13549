import type { Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clusterMetricsSource } from '../../src/cluster/cluster-metrics.js';

/**
 * A cluster worker as the primary sees it: an IPC channel answering `metrics?` with its registry,
 * unless `silent` (its event loop blocked past the 5 s ask timeout, or the message lost).
 */
function fakeWorker(id: number) {
  const registry = new Registry();
  const requests = new Counter({ name: 'requests_total', help: 'h', registers: [registry] });
  const open = new Gauge({ name: 'open_connections', help: 'h', registers: [registry] });
  const worker = Object.assign(new EventEmitter(), {
    id,
    silent: false,
    requests,
    open,
    isConnected: () => true,
    send(message: { ask: number }) {
      if (worker.silent) return;
      // A copy, as IPC delivers it (prom-client's JSON shares its live value objects).
      void registry.getMetricsAsJSON().then((json) => {
        const metrics = structuredClone(json);
        setImmediate(() => worker.emit('message', { lms: 'metrics', ask: message.ask, metrics }));
      });
    },
  });
  return worker;
}

describe('the cluster metrics when a worker does not answer a scrape', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function cluster(...ids: number[]) {
    const workers = ids.map(fakeWorker);
    const source = clusterMetricsSource(() => workers as unknown as Worker[]);
    /** One scrape, the ask timeout (5 s) run out for whoever stays silent. */
    const scrape = async () => {
      const text = source.metrics();
      await vi.advanceTimersByTimeAsync(5_000);
      return text;
    };
    return { workers, source, scrape };
  }
  const sample = (text: string, name: string) =>
    Number(
      text
        .split('\n')
        .find((line) => line.startsWith(`${name} `))
        ?.split(' ')[1],
    );

  it("keeps a silent live worker's counters at its last answer: the sum never dips (no false reset)", async () => {
    const { workers, scrape } = cluster(1, 2);
    const [one, two] = workers as [ReturnType<typeof fakeWorker>, ReturnType<typeof fakeWorker>];
    one.requests.inc(100);
    two.requests.inc(100);
    one.open.set(3);
    two.open.set(4);
    expect(sample(await scrape(), 'requests_total')).toBe(200);

    two.silent = true;
    two.requests.inc(50); // counted meanwhile, unseen until it answers again
    two.open.set(9);
    one.requests.inc(10);
    const during = await scrape();
    expect(sample(during, 'requests_total')).toBe(210); // 110 + its last answer, 100
    expect(sample(during, 'open_connections')).toBe(3); // a silent worker's gauges are not guessed

    two.silent = false;
    expect(sample(await scrape(), 'requests_total')).toBe(260);
  });

  it('leaves out a worker that has never answered, and answers the scrape all the same', async () => {
    const { workers, scrape } = cluster(1, 2);
    workers[0]?.requests.inc(7);
    if (workers[1]) workers[1].silent = true;
    expect(sample(await scrape(), 'requests_total')).toBe(7);
  });

  it('counts a worker that exits while silent once: in the carried totals, not again as a live one', async () => {
    const { workers, source, scrape } = cluster(1, 2);
    const [one, two] = workers as [ReturnType<typeof fakeWorker>, ReturnType<typeof fakeWorker>];
    one.requests.inc(100);
    two.requests.inc(100);
    await scrape();

    two.silent = true;
    const text = source.metrics();
    // It dies during the scrape: its 'exit', then the primary's cluster 'exit' handler.
    two.emit('exit');
    source.workerExited(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sample(await text, 'requests_total')).toBe(200);
  });
});
