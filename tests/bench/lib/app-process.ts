import { type ChildProcess, fork } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export type DbTally = Record<string, { n: number; ms: number }>;

/**
 * What the web measurements (lesson page, quiz, exam day) need from the app they load: its URL and
 * the processes whose CPU it uses. The bench's own child (below) also has a bare baseline server and
 * counts database commands; the real `src/server.ts` (lib/server-target.ts) has neither.
 */
export interface AppUnderTest {
  /** `http://127.0.0.1:<port>` of the real app. */
  url: string;
  /** The app's processes now (one, or a cluster's primary and workers), for the CPU split. */
  cpuPids(): Promise<number[]>;
  /** `http://127.0.0.1:<port>` of a bare fastify server in the same process, when there is one. */
  bareUrl?: string;
  /** Makes the bare server answer `GET /` with these bytes. */
  setBareHtml?(html: string): Promise<void>;
  /** Database commands the app sent since the last call, by command and collection (then resets). */
  dbTally?(): Promise<DbTally>;
  close(): Promise<void>;
}

export interface AppProcess extends AppUnderTest {
  bareUrl: string;
  pid: number;
  setBareHtml(html: string): Promise<void>;
  dbTally(): Promise<DbTally>;
  /** The child's peak RSS so far (kB, from process.resourceUsage()). */
  usage(): Promise<{ maxRssKb: number; rss: number }>;
  close(): Promise<void>;
}

function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`app child sent no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (m: { type?: string }) => {
      if (m?.type === type) finish(null, m as T);
    };
    const onExit = (code: number | null) => finish(new Error(`app child exited (${code}) before "${type}"`));
    function finish(err: Error | null, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts the app (and the bare baseline server) in a child process on loopback ports. */
export async function startAppProcess(opts: {
  mongoUri: string;
  dbName: string;
  logLevel?: string;
}): Promise<AppProcess> {
  const child = fork(path.join(here, '../children/app-server.ts'), [], {
    // BENCH_APP_PROFILE=<dir> writes a V8 CPU profile of the app process when it exits.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_APP_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_APP_PROFILE}`]
        : []),
    ],
    env: { ...process.env, BENCH_APP: JSON.stringify({ logLevel: 'warn', ...opts }) },
    // stdout carries the app's logs: discarded, unless BENCH_APP_LOG names a file to keep them in.
    stdio: [
      'ignore',
      process.env.BENCH_APP_LOG ? openSync(process.env.BENCH_APP_LOG, 'a') : 'ignore',
      'inherit',
      'ipc',
    ],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ready: { appPort: number; barePort: number };
  try {
    ready = await nextMessage(child, 'ready', 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url: `http://127.0.0.1:${ready.appPort}`,
    bareUrl: `http://127.0.0.1:${ready.barePort}`,
    pid: child.pid!,
    cpuPids: async () => [child.pid!],
    async setBareHtml(html) {
      const done = nextMessage(child, 'bare-set', 10_000);
      child.send({ type: 'bare', html });
      await done;
    },
    async dbTally() {
      const reply = nextMessage<{ tally: DbTally }>(child, 'db-tally', 10_000);
      child.send({ type: 'db-tally' });
      return (await reply).tally;
    },
    async usage() {
      const reply = nextMessage<{ maxRssKb: number; rss: number }>(child, 'usage', 10_000);
      child.send({ type: 'usage' });
      return reply;
    },
    async close() {
      if (child.exitCode !== null) return;
      child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * "27 DB commands per request; DB time per request: find audit_events 296 ms (1×), …" from a tally
 * over `requests`. Times are as the driver saw them, so they include waiting in FerretDB's queue.
 */
export function describeTally(tally: DbTally, requests: number, top = 4): string {
  const per = (n: number) => Math.round((n / Math.max(1, requests)) * 10) / 10;
  const total = Object.values(tally).reduce((a, t) => a + t.n, 0);
  const parts = Object.entries(tally)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .map(([k, t]) => `${k} ${Math.round(t.ms / Math.max(1, requests))} ms (${per(t.n)}×)`);
  return `${per(total)} DB commands per request; DB time per request: ${parts.join(', ')}`;
}
