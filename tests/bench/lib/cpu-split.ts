import { cpuMsOf } from './proc.js';

export interface CpuSplit {
  wallMs: number;
  /** CPU the app process used, ms (null without /proc). */
  appCpuMs: number | null;
  /** CPU FerretDB used, ms. */
  dbCpuMs: number | null;
}

/**
 * Where the machine's time went during one load run: the app process or the database. With two
 * cores, a database near 100 % of a core while the app idles says the bottleneck is the data layer.
 */
export async function startCpuSplit(appPid: number, dbPid: number | null): Promise<() => Promise<CpuSplit>> {
  const t0 = performance.now();
  const app0 = await cpuMsOf(appPid);
  const db0 = dbPid ? await cpuMsOf(dbPid) : null;
  return async () => {
    const app1 = await cpuMsOf(appPid);
    const db1 = dbPid ? await cpuMsOf(dbPid) : null;
    return {
      wallMs: performance.now() - t0,
      appCpuMs: app0 !== null && app1 !== null ? app1 - app0 : null,
      dbCpuMs: db0 !== null && db1 !== null ? db1 - db0 : null,
    };
  };
}

export function describeSplit(s: CpuSplit): string {
  const pct = (ms: number | null) => (ms === null ? '?' : `${Math.round((ms / s.wallMs) * 100)}%`);
  return `CPU during load: app ${pct(s.appCpuMs)}, FerretDB ${pct(s.dbCpuMs)} of one core`;
}

/** Waits until `count()` stops changing for `quietMs` (the app has drained its backlog), at most `maxMs`. */
export async function waitUntilStable(
  count: () => Promise<number>,
  quietMs: number,
  maxMs: number,
): Promise<number> {
  const deadline = performance.now() + maxMs;
  let last = await count();
  let since = performance.now();
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await count();
    if (now !== last) {
      last = now;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) break;
  }
  return last;
}

/**
 * Waits until `pid` uses under a tenth of a core for three seconds in a row, at most `maxMs`.
 * A sweep child killed at its time limit leaves FerretDB finishing the command it had sent.
 */
export async function waitForIdle(pid: number | null, maxMs: number): Promise<void> {
  if (!pid) return;
  const deadline = performance.now() + maxMs;
  let quiet = 0;
  let last = await cpuMsOf(pid);
  while (performance.now() < deadline && quiet < 3) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await cpuMsOf(pid);
    quiet = last !== null && now !== null && now - last < 100 ? quiet + 1 : 0;
    last = now;
  }
}
