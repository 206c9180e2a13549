import { cpuMsOf, machineBusyMs } from './proc.js';

export interface CpuSplit {
  wallMs: number;
  /** CPU the app process used, ms (null without /proc); a cluster's primary and workers summed. */
  appCpuMs: number | null;
  /** The same per app process (pid → ms), e.g. a cluster's primary apart from its workers. */
  appByPid: Record<number, number | null>;
  /** CPU this process (the load generator: autocannon, the learners' client) used, ms. */
  loadCpuMs: number;
  /** CPU every process on the machine used (all cores), ms; null without /proc. */
  machineCpuMs: number | null;
  /** CPU FerretDB used, ms. */
  dbCpuMs: number | null;
}

/**
 * Where the machine's time went during one load run: the app process or the database. With two
 * cores, a database near 100 % of a core while the app idles says the bottleneck is the data layer.
 */
export async function startCpuSplit(
  app: number | number[],
  dbPid: number | null,
): Promise<() => Promise<CpuSplit>> {
  const appPids = [app].flat();
  const t0 = performance.now();
  const load0 = process.cpuUsage();
  const machine0 = await machineBusyMs();
  const app0 = await Promise.all(appPids.map((pid) => cpuMsOf(pid)));
  const db0 = dbPid ? await cpuMsOf(dbPid) : null;
  return async () => {
    const app1 = await Promise.all(appPids.map((pid) => cpuMsOf(pid)));
    const db1 = dbPid ? await cpuMsOf(dbPid) : null;
    const load = process.cpuUsage(load0);
    const machine1 = await machineBusyMs();
    const appByPid = Object.fromEntries(
      appPids.map((pid, i) => {
        const [a, b] = [app0[i], app1[i]];
        return [pid, a != null && b != null ? b - a : null];
      }),
    );
    // A process that is gone (a cluster worker replaced meanwhile) makes the sum unknown.
    const each = Object.values(appByPid);
    return {
      wallMs: performance.now() - t0,
      appCpuMs: each.includes(null) ? null : (each as number[]).reduce((a, b) => a + b, 0),
      appByPid,
      loadCpuMs: (load.user + load.system) / 1000,
      machineCpuMs: machine0 !== null && machine1 !== null ? machine1 - machine0 : null,
      dbCpuMs: db0 !== null && db1 !== null ? db1 - db0 : null,
    };
  };
}

export function describeSplit(s: CpuSplit): string {
  const pct = (ms: number | null) => (ms === null ? '?' : `${Math.round((ms / s.wallMs) * 100)}%`);
  const processes = Object.keys(s.appByPid).length;
  const app = processes > 1 ? `app ${pct(s.appCpuMs)} (${processes} processes)` : `app ${pct(s.appCpuMs)}`;
  return `CPU during load: ${app}, FerretDB ${pct(s.dbCpuMs)}, load generator ${pct(s.loadCpuMs)} of one core`;
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
