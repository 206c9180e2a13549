import { readdir, readFile, writeFile } from 'node:fs/promises';

/**
 * Linux /proc readings for processes we started (FerretDB, app children). Peak RSS of a child is
 * its VmHWM; writing "5" to clear_refs resets that peak, so one phase can be measured on its own.
 */

/** The pid of the process whose command line contains `arg`, e.g. FerretDB's `--listen-addr=…`. */
export async function findPidByArg(arg: string): Promise<number | null> {
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(arg)) return Number(entry);
  }
  return null;
}

/** Current and peak resident memory of `pid`, in bytes (null when /proc is unavailable). */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number } | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  if (!status) return null;
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

/** Resets the peak-RSS counter of `pid`; returns false when the kernel refuses. */
export async function resetPeak(pid: number): Promise<boolean> {
  return writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );
}

/** CPU time (user + system) `pid` has used so far, in ms; null when /proc is unavailable. */
export async function cpuMsOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return null;
  // Fields after the command name (which may contain spaces) start at index 2: utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/**
 * CPU time every process on the machine has used so far (all cores, idle and I/O wait left out), in
 * ms; null without /proc. On a shared machine this shows how much of the cores others took.
 */
export async function machineBusyMs(): Promise<number | null> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => null);
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 5) return null;
  // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return ((total - fields[3]! - fields[4]!) * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux build this runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;

/**
 * Connections waiting for the process listening on `port` (IPv4) to accept them: for a listening
 * socket, the rx_queue column of /proc/net/tcp is its accept queue. Null without /proc or socket.
 */
export async function acceptQueueOf(port: number): Promise<number | null> {
  const table = await readFile('/proc/net/tcp', 'utf8').catch(() => null);
  if (!table) return null;
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of table.split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue …; state 0A is LISTEN.
    const [, localAddress, , state, queues] = line.trim().split(/\s+/);
    if (state === '0A' && localAddress?.endsWith(local)) return Number.parseInt(queues!.split(':')[1]!, 16);
  }
  return null;
}

/** Samples `read` every `everyMs` until stopped; `stop()` returns the largest value seen (null: none). */
export function samplePeak(
  read: () => Promise<number | null>,
  everyMs: number,
): () => Promise<number | null> {
  let peak: number | null = null;
  let running = true;
  const loop = (async () => {
    while (running) {
      const v = await read();
      if (v !== null) peak = Math.max(peak ?? 0, v);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peak;
  };
}
