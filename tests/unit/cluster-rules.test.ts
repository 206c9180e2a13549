import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { carriedOver } from '../../src/cluster/cluster-metrics.js';
import { nextRestart, RESTART_RULES, type RestartState } from '../../src/cluster/restart-backoff.js';
import { workerCount } from '../../src/cluster/worker-count.js';
import { type WorkerRow, workersAfter } from '../../src/cluster/worker-table.js';
import { readEnv } from '../../src/config.js';

describe('WORKERS', () => {
  it('is one process by default', () => {
    expect(readEnv({}).WORKERS).toBe('1');
    expect(workerCount('1', { cores: 16, embeddedDatabase: true })).toBe(1);
  });

  it('takes a number from 1 to 64 as it is', () => {
    expect(workerCount('8', { cores: 2, embeddedDatabase: true })).toBe(8);
    expect(workerCount('64', { cores: 2, embeddedDatabase: false })).toBe(64);
  });

  it('auto leaves a core to the embedded database, never fewer than one worker', () => {
    expect(workerCount('auto', { cores: 8, embeddedDatabase: true })).toBe(7);
    expect(workerCount('auto', { cores: 2, embeddedDatabase: true })).toBe(1);
    expect(workerCount('auto', { cores: 1, embeddedDatabase: true })).toBe(1);
  });

  it('auto uses every core with an external database (MONGODB_URI), at most 64', () => {
    expect(workerCount('auto', { cores: 8, embeddedDatabase: false })).toBe(8);
    expect(workerCount('auto', { cores: 128, embeddedDatabase: false })).toBe(64);
  });

  it('refuses anything else at start, naming the variable', () => {
    for (const bad of ['0', '65', '-1', '2.5', 'all', ''])
      expect(() => readEnv({ WORKERS: bad }), bad).toThrow(/WORKERS/);
    expect(readEnv({ WORKERS: 'auto' }).WORKERS).toBe('auto');
    expect(readEnv({ WORKERS: '64' }).WORKERS).toBe('64');
  });
});

describe('replacing a worker that died', () => {
  const fresh: RestartState = { quickDeaths: 0, lastQuickDeathAt: null };
  const minute = 60_000;
  /** Replays deaths (`readyForMs` null: it never became ready) and returns each replacement's wait. */
  function waits(deaths: { at: number; readyForMs: number | null }[], state = fresh): number[] {
    return deaths.map((death) => {
      const next = nextRestart(state, death);
      state = next;
      return next.delayMs;
    });
  }

  it('replaces at once a worker that had served for a while', () => {
    expect(nextRestart(fresh, { at: 0, readyForMs: 5 * minute })).toMatchObject({ delayMs: 0 });
    expect(nextRestart(fresh, { at: 0, readyForMs: RESTART_RULES.stableMs })).toMatchObject({ delayMs: 0 });
  });

  it('backs off when workers keep dying before they have served a minute: 1 s, 2 s, 4 s … capped at 30 s', () => {
    const deaths = Array.from({ length: 8 }, (_, i) => ({ at: i * 40_000, readyForMs: null }));
    expect(waits(deaths)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('backs off too when each worker dies soon after it became ready (the first request, the first job tick)', () => {
    // Ready at ~8 s, dead at 11 s: counted as a crash loop, not replaced at once for ever.
    const deaths = Array.from({ length: 4 }, (_, i) => ({ at: i * 20_000, readyForMs: 3_000 }));
    expect(waits(deaths)).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('forgets an earlier burst once the workers have run a while without dying young', () => {
    const burst = [0, 2_000, 5_000].map((at) => ({ at, readyForMs: null }));
    // A replacement then served for an hour; later another worker dies 2 s after start.
    expect(waits([...burst, { at: 5_000 + 60 * minute, readyForMs: null }])).toEqual([
      1_000, 2_000, 4_000, 1_000,
    ]);
    // A worker that served a while and died clears the count as well.
    expect(
      waits([...burst, { at: 9 * minute, readyForMs: 5 * minute }, { at: 9 * minute + 1, readyForMs: null }]),
    ).toEqual([1_000, 2_000, 4_000, 0, 1_000]);
  });
});

describe('the worker table', () => {
  const a: WorkerRow = { id: 1, pid: 101, state: 'starting' };

  it('adds a forked worker as starting, then follows its reports', () => {
    let table = workersAfter([], { kind: 'forked', id: 1, pid: 101 });
    expect(table).toEqual([a]);
    table = workersAfter(table, { kind: 'forked', id: 2, pid: 102 });
    table = workersAfter(table, { kind: 'reported', id: 2, state: 'ready' });
    table = workersAfter(table, { kind: 'reported', id: 1, state: 'ready' });
    table = workersAfter(table, { kind: 'reported', id: 1, state: 'draining' });
    expect(table).toEqual([
      { id: 1, pid: 101, state: 'draining' },
      { id: 2, pid: 102, state: 'ready' },
    ]);
  });

  it('drops a worker that exited and ignores reports from workers it does not know', () => {
    let table = workersAfter([a], { kind: 'exited', id: 1 });
    expect(table).toEqual([]);
    table = workersAfter(table, { kind: 'reported', id: 9, state: 'ready' });
    expect(table).toEqual([]);
  });

  it('keeps rows in worker id order and never changes the table it was given', () => {
    const given = [{ id: 3, pid: 103, state: 'ready' } as WorkerRow];
    const table = workersAfter(given, { kind: 'forked', id: 2, pid: 102 });
    expect(table.map((w) => w.id)).toEqual([2, 3]);
    expect(given).toHaveLength(1);
  });
});

describe("an exited worker's metrics", () => {
  async function workerRegistry(requests: number, backlog: number) {
    const registry = new Registry();
    const counter = new Counter({ name: 'requests_total', help: 'h', registers: [registry] });
    const histogram = new Histogram({ name: 'seconds', help: 'h', buckets: [1], registers: [registry] });
    const fromDatabase = new Gauge({
      name: 'backlog',
      help: 'h',
      aggregator: 'first',
      registers: [registry],
    });
    const own = new Gauge({ name: 'open_connections', help: 'h', registers: [registry] });
    counter.inc(requests);
    for (let i = 0; i < requests; i++) histogram.observe(0.5);
    fromDatabase.set(backlog);
    own.set(requests);
    return registry.getMetricsAsJSON();
  }
  const value = async (metrics: object[][], name: string) =>
    (await AggregatorRegistry.aggregate(metrics).getSingleMetric(name)?.get())?.values[0]?.value;

  it('keeps its summed counters and histograms in the cluster totals, not its gauges', async () => {
    const [a, b] = [await workerRegistry(3, 7), await workerRegistry(5, 7)];
    expect(await value([a, b], 'requests_total')).toBe(8);
    // b exits; a's next answer counts one more request.
    const later = [await workerRegistry(4, 7), carriedOver(b)];
    expect(await value(later, 'requests_total')).toBe(9);
    expect(await value(later, 'seconds')).toBe(9); // the first series: bucket le=1
    expect(await value(later, 'backlog')).toBe(7); // read once, not added
    expect(await value(later, 'open_connections')).toBe(4); // the living worker's own state only
  });
});
