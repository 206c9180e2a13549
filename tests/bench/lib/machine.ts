import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** What the numbers came from: printed with every run and stored in the JSON file. */
export function describeMachine() {
  let free = '';
  try {
    free = execFileSync('free', ['-h'], { encoding: 'utf8' }).trim();
  } catch {
    free = `${Math.round(os.totalmem() / 2 ** 30)} GiB total`;
  }
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    free,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    // The machine is shared: a high load average explains a noisy run.
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
