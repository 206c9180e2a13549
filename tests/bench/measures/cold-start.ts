import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvSchema } from '../../../src/config.js';
import { freePort } from '../../../src/db/ferretdb/launcher.js';
import { httpRequest } from '../lib/http.js';
import type { MeasureResult, Row } from '../lib/results.js';
import { ratio, round } from '../lib/stats.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bareServer = path.join(repoRoot, 'tests/bench/children/bare-server.ts');

/**
 * Spawns `command` in its own process group with PORT set, polls `readyPath` every 50 ms until it
 * answers 200, then stops the group (SIGTERM, so the app closes FerretDB cleanly). Returns the ms.
 */
async function timeToReady(
  command: string[],
  env: Record<string, string>,
  readyPath: string,
  timeoutMs: number,
): Promise<number> {
  const port = await freePort();
  // The app reads only its own variables; drop any the caller has set (vitest sets BASE_URL, for one).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !(k in EnvSchema.properties)),
  );
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    env: { ...inherited, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (performance.now() - started > timeoutMs)
        throw new Error(`${command.join(' ')} not ready after ${timeoutMs} ms`);
      if (child.exitCode !== null)
        throw new Error(`${command.join(' ')} exited with ${child.exitCode}: ${stderr}`);
      const res = await httpRequest(`http://127.0.0.1:${port}${readyPath}`, { timeoutMs: 1000 }).catch(
        () => null,
      );
      if (res?.status === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    // The whole group: npm, tsx, node and the FerretDB child the app started.
    const signal = (s: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, s);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 15_000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(timer);
  }
}

/**
 * 7. Cold start: `npm start` with an empty DATA_DIR until /readyz answers 200 (FerretDB binary
 * already built), then again on the same data. Baseline: `npm exec tsx` of a bare fastify server,
 * i.e. what npm, tsx and fastify cost before the app does anything.
 */
export async function measureColdStart(
  opts: { restart?: boolean; baseline?: boolean } = {},
): Promise<MeasureResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'policy-training-cold-'));
  try {
    const env = {
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      SWEEP_SCHEDULE: 'off',
      HOST: '127.0.0.1',
    };
    const baseline =
      opts.baseline === false
        ? Number.NaN
        : await timeToReady(['npm', 'exec', '--', 'tsx', bareServer], {}, '/readyz', 60_000);
    const empty = await timeToReady(['npm', 'start'], env, '/readyz', 120_000);
    const again =
      opts.restart === false ? Number.NaN : await timeToReady(['npm', 'start'], env, '/readyz', 120_000);
    const measure = 'cold start';
    const rows: Row[] = [
      {
        measure,
        metric: 'npm start → /readyz 200 (empty DATA_DIR)',
        value: round(empty),
        unit: 'ms',
        baseline: { label: 'bare fastify via npm exec tsx', value: round(baseline) },
        ratio: ratio(empty, baseline),
        note: 'includes creating the demo organisation',
      },
      {
        measure,
        metric: 'npm start → /readyz 200 (existing data)',
        value: round(again),
        unit: 'ms',
        baseline: { label: 'bare fastify via npm exec tsx', value: round(baseline) },
        ratio: ratio(again, baseline),
      },
    ];
    return {
      id: 'cold-start',
      title: 'Cold start',
      rows,
      details: { baselineMs: baseline, emptyMs: empty, againMs: again },
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
