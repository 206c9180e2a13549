import { describe, expect, it } from 'vitest';
import { nextRestart, RESTART_RULES } from '../../src/cluster/restart-backoff.js';
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
  it('replaces at once a worker that had been running a while', () => {
    expect(nextRestart({ quickDeaths: 0 }, 60_000)).toEqual({ delayMs: 0, quickDeaths: 0 });
    // A long life forgets earlier quick deaths.
    expect(nextRestart({ quickDeaths: 5 }, RESTART_RULES.quickMs)).toEqual({ delayMs: 0, quickDeaths: 0 });
  });

  it('backs off when workers keep dying right after start: 1 s, 2 s, 4 s … capped at 30 s', () => {
    let state = { quickDeaths: 0 };
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const next = nextRestart(state, 500);
      delays.push(next.delayMs);
      state = next;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
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
