import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// How every role ends (src/cluster/shutdown.ts: the single process, the cluster primary and each
// worker use it), in a real child process: signals and uncaught errors cannot be faked in-process.
// The children run plain node on shutdown.ts bundled once (with close-with-grace) by esbuild: a tsx
// child costs about 1 s of CPU to start, this one about 50 ms.
let bundleDir: string;
let bundle: string;
beforeAll(async () => {
  bundleDir = await mkdtemp(path.join(tmpdir(), 'lms-shutdown-test-'));
  bundle = path.join(bundleDir, 'shutdown.cjs');
  await build({
    entryPoints: [path.resolve(import.meta.dirname, '../../src/cluster/shutdown.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
});
afterAll(() => rm(bundleDir, { recursive: true, force: true }));

/**
 * Runs a small script with `shutdownGracefully` (bounded at `boundMs`) installed around a `close`
 * that takes `closeMs` (or never ends), then `body`. After it prints READY, sends each of `signals`
 * `gapMs` apart.
 */
function run(
  body: string,
  { closeMs = 200, boundMs = 2_000, signals = [] as NodeJS.Signals[], gapMs = 100 } = {},
): Promise<{ code: number | null; out: string; ms: number }> {
  const closeBody =
    closeMs < 0 ? 'await new Promise(() => {});' : `await new Promise((r) => setTimeout(r, ${closeMs}));`;
  const source = `
    const { shutdownGracefully } = require(${JSON.stringify(bundle)});
    shutdownGracefully({
      boundMs: ${boundMs},
      signals: true,
      log: (line) => console.log('LOG ' + line),
      logCrash: (err) => console.log('CRASH ' + err.message),
      close: async (why) => { console.log('CLOSING ' + (why.signal ?? why.err?.message)); ${closeBody} console.log('CLOSED'); },
    });
    setInterval(() => {}, 1000);
    console.log('READY');
    ${body}`;
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const collect = (d: Buffer) => {
      out += d.toString();
      if (sent || !out.includes('READY')) return;
      sent = true;
      for (const [i, s] of signals.entries()) setTimeout(() => child.kill(s), i * gapMs);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

const noStackTrace = /\n\s+at /;

describe.concurrent('shutting down', () => {
  it('an uncaught exception is logged once, the process closes what it holds, then exits 1', async () => {
    const { code, out } = await run("setTimeout(() => { throw new Error('boom'); }, 20);");
    expect(code).toBe(1);
    expect(out.match(/CRASH boom/g)).toHaveLength(1);
    expect(out).toContain('CLOSING boom\nCLOSED');
    expect(out).not.toMatch(noStackTrace);
  });

  it('so does an unhandled rejection; another error while closing is one line, not a stack trace', async () => {
    const { code, out } = await run(
      "setTimeout(() => Promise.reject(new Error('lost')), 20); setTimeout(() => { throw new Error('again'); }, 100);",
      { closeMs: 400 },
    );
    expect(code).toBe(1);
    expect(out.match(/CRASH/g)).toHaveLength(1);
    expect(out).toContain('CLOSING lost');
    expect(out).toContain('LOG another error while shutting down (again): exiting');
    expect(out).not.toMatch(noStackTrace);
  });

  it('a close that never ends is cut at the bound, exit 1', async () => {
    const { code, out, ms } = await run("setTimeout(() => { throw new Error('stuck'); }, 20);", {
      closeMs: -1,
      boundMs: 500,
    });
    expect(code).toBe(1);
    expect(out).toContain('LOG still shutting down after 0.5 s: exiting');
    expect(ms).toBeLessThan(3_000);
  });

  it('SIGINT twice in a moment (Ctrl-C relayed by npm start) is one press: closes, exit 0', async () => {
    const { code, out } = await run('', { signals: ['SIGINT', 'SIGINT'], closeMs: 400 });
    expect(code).toBe(0);
    expect(out).toContain('CLOSING SIGINT\nCLOSED');
  });

  it('SIGHUP (the terminal closed) drains too, named by its signal, not as a crash: exit 0', async () => {
    const { code, out } = await run('', { signals: ['SIGHUP'] });
    expect(code).toBe(0);
    expect(out).toContain('CLOSING SIGHUP\nCLOSED');
    expect(out).not.toContain('CRASH');
  });

  it('a second press later forces the exit without waiting for the close', async () => {
    const { code, out } = await run('', { signals: ['SIGTERM', 'SIGINT'], closeMs: 5_000, gapMs: 1_200 });
    expect(code).toBe(1);
    expect(out).toContain('LOG second SIGINT: exiting without finishing the drain');
    expect(out).not.toContain('CLOSED');
  });
});
