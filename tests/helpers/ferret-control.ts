import { readdir, readFile } from 'node:fs/promises';

/**
 * The pid of the FerretDB process this test started on `port` (found by its own command line,
 * `--listen-addr=127.0.0.1:<port>`), so a test can SIGKILL exactly that process and nothing else.
 */
export async function ferretPidOnPort(port: number): Promise<number | null> {
  const needle = `--listen-addr=127.0.0.1:${port}`;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (cmdline.includes(needle) && cmdline.some((a) => a === '--handler=sqlite')) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
