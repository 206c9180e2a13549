import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/ferretdb/launcher.js';
import { type RunningServer, startServer, stopServer } from '../helpers/server-process.js';

// Cluster mode (issue #30 item 1) through the real entry: `src/server.ts` with WORKERS=2 on the
// embedded FerretDB. One server start serves every case below, in order (each start costs seconds).
interface WorkerInfo {
  id: number;
  pid: number;
  state: string;
}
interface Readyz {
  status: string;
  reason?: string;
  worker?: { id: number; pid: number };
  workers?: WorkerInfo[];
}

let dataDir: string;
let run: RunningServer;
// WORKERS=1 (the default), started alongside the cluster to share the wait: its Ctrl-C drain.
let singleDir: string;
let single: RunningServer;
const runs = () => [run, single].filter((r) => r !== undefined);
const token = 'cluster-metrics-token-0123456789';

/** One request on a connection of its own, so the primary hands each to the next worker in turn. */
function get(
  port: number,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${urlPath}: no answer in 10 s`)));
    req.end();
  });
}

/** GET /metrics on the app's port: whichever worker answers, it gives the whole cluster's metrics. */
const scrape = () => get(run.port, '/metrics', { authorization: `Bearer ${token}` });

async function readyz(): Promise<{ status: number; body: Readyz }> {
  const res = await get(run.port, '/readyz');
  return { status: res.status, body: JSON.parse(res.text) as Readyz };
}

/** Polls /readyz until `done` holds for its body (or the time runs out). */
async function readyzUntil(done: (body: Readyz) => boolean, timeoutMs = 30_000): Promise<Readyz> {
  const deadline = Date.now() + timeoutMs;
  let last: Readyz | undefined;
  while (Date.now() < deadline) {
    last = await readyz().then(
      (r) => r.body,
      () => undefined,
    );
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`/readyz never matched; last: ${JSON.stringify(last)}\n${run.output()}`);
}

/** Waits until `done()` holds, polling every `everyMs`; fails after `timeoutMs` with the server output. */
async function until(what: string, done: () => boolean, timeoutMs = 15_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not seen within ${timeoutMs / 1000} s\n${runs()
          .map((r) => r.output())
          .join('\n---\n')}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const allReady = (n: number) => (b: Readyz) =>
  b.status === 'ready' && b.workers?.length === n && b.workers.every((w) => w.state === 'ready');

function ferretdbPids(dir = dataDir): number[] {
  try {
    return execFileSync('pgrep', ['-f', `sqlite-url=file:${dir}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** The value of one series in the Prometheus text, e.g. `lms_http_requests_total{…route="/healthz"…}`. */
function series(text: string, name: string, labelPart = ''): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(name) && (l[name.length] === ' ' || l[name.length] === '{') && l.includes(labelPart),
    );
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cluster-'));
  singleDir = await mkdtemp(path.join(tmpdir(), 'single-'));
  [run, single] = await Promise.all([
    startServer(await freePort(), dataDir, { WORKERS: '2', METRICS_TOKEN: token, LOG_LEVEL: 'info' }),
    startServer(await freePort(), singleDir, { WORKERS: '1', LOG_LEVEL: 'info' }),
  ]);
}, 90_000);

afterAll(async () => {
  for (const r of runs()) await stopServer(r);
  await rm(dataDir, { recursive: true, force: true });
  await rm(singleDir, { recursive: true, force: true });
});

describe('WORKERS=2', () => {
  it('runs two workers sharing the port, each answering /readyz for itself; the demo is seeded once', async () => {
    const first = await readyzUntil(allReady(2));
    const pids = new Set(first.workers!.map((w) => w.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(run.child.pid!)).toBe(false); // the primary serves no requests

    const answeredBy = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const { status, body } = await readyz();
      expect(status).toBe(200);
      expect(body.worker!.pid).toBe(body.workers!.find((w) => w.id === body.worker!.id)!.pid);
      answeredBy.add(body.worker!.pid);
    }
    expect(answeredBy).toEqual(pids);
    expect(run.output().match(/created the demo organisation/g)).toHaveLength(1);
    expect(ferretdbPids()).toHaveLength(1); // one database for both
  });

  it("answers /metrics with every worker's metrics, summing counters but not database gauges", async () => {
    const before = await scrape();
    const counted = series(before.text, 'lms_http_requests_total', 'route="/healthz"') ?? 0;
    for (let i = 0; i < 6; i++) expect((await get(run.port, '/healthz')).status).toBe(200);
    const after = await scrape();
    expect(after.status).toBe(200);
    expect(series(after.text, 'lms_http_requests_total', 'route="/healthz"')).toBe(counted + 6);

    // The embedded database dies and the primary's supervisor restarts it: the workers learn it over
    // IPC, and the restart is counted once, not once per worker.
    const [ferret] = ferretdbPids();
    process.kill(ferret!, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    let restarts: number | undefined;
    while (Date.now() < deadline) {
      restarts = series((await scrape()).text, 'lms_embedded_database_restarts_total');
      if (restarts === 1) break; // no series while the database is down: the gauges cannot be read
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(restarts).toBe(1);
    await readyzUntil(allReady(2));
  });

  it('replaces a worker that is killed, while requests keep succeeding', async () => {
    const before = await readyzUntil(allReady(2));
    const victim = before.workers![0]!;
    const healthz = async () => series((await scrape()).text, 'lms_http_requests_total', 'route="/healthz"');
    const counted = await healthz(); // both workers answered /healthz above
    process.kill(victim.pid, 'SIGKILL');
    // Node's cluster cannot save a connection it handed to the worker in the instant it died, so
    // requests start once the primary has seen the death (a load balancer would retry that one).
    // Replaced at once, or after 1 s if it had run for less than 10 s.
    const died = new RegExp(
      `worker ${victim.id} \\(pid ${victim.pid}\\) died \\(signal SIGKILL\\); replacing it( in 1 s .*)?\n`,
    );
    await until('the primary reporting the death', () => died.test(run.output()));
    const statuses: number[] = [];
    const deadline = Date.now() + 45_000;
    let after: Readyz | undefined;
    while (Date.now() < deadline) {
      const { status, body } = await readyz(); // a refused or dropped request fails the test
      statuses.push(status);
      if (allReady(2)(body) && !body.workers!.some((w) => w.pid === victim.pid)) {
        after = body;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(after?.workers).toHaveLength(2); // a replacement, with a new id
    expect(after!.workers!.map((w) => w.id)).not.toContain(victim.id);
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.every((s) => s === 200)).toBe(true); // the other worker answered meanwhile
    // The dead worker's counts stay in the sum: a counter that went down would read as a reset.
    expect(await healthz()).toBeGreaterThanOrEqual(counted!);
  }, 90_000);

  it('drains on SIGINT (even twice): a request in flight completes, then the workers and the database stop, exit 0', async () => {
    const { workers } = await readyzUntil(allReady(2));
    await drainsOnDoubleSigint(run, dataDir, {
      draining: () => (run.output().match(/"msg":"draining"/g) ?? []).length >= 2,
      signalSeen: '[cluster] SIGINT: draining',
    });
    for (const pid of workers!.map((w) => w.pid)) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('WORKERS=1', () => {
  it('drains on one Ctrl-C under npm start (SIGINT twice): the request in flight completes, exit 0', async () => {
    await drainsOnDoubleSigint(single, singleDir, {
      draining: () => single.output().includes('"msg":"shutting down"'),
      signalSeen: '"msg":"shutting down"',
    });
  });
});

/**
 * Ctrl-C under `npm start` while a request is in flight: the terminal and the npm/tsx parents each
 * deliver SIGINT, so it comes twice. The request (a sign-in form whose body is still arriving, sent
 * in full once the app drains) is answered, every process ends, exit 0, no stack trace.
 */
async function drainsOnDoubleSigint(
  server: RunningServer,
  dir: string,
  seen: { draining: () => boolean; signalSeen: string },
): Promise<void> {
  const ferrets = ferretdbPids(dir);
  expect(ferrets).toHaveLength(1);
  const body = 'email=nobody%40demo.test&password=wrong';
  const inFlight = new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/login',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    until('the drain', seen.draining).then(() => req.end(body.slice(10)), reject);
  });
  // The signal once the app has the request (its "incoming request" log line).
  await until('the request in flight', () => /"method":"POST","url":"\/login"/.test(server.output()));
  const started = Date.now();
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGINT');
  await until('the first SIGINT handled', () => server.output().includes(seen.signalSeen), 10_000, 5);
  server.child.kill('SIGINT'); // the relayed copy, once the first is being handled
  await exited;
  const stopMs = Date.now() - started;
  expect(await inFlight).toBeGreaterThanOrEqual(200); // answered (the form has no CSRF token: refused, not cut)
  expect(await inFlight).toBeLessThan(500);
  expect(server.child.exitCode).toBe(0);
  expect(stopMs).toBeLessThan(15_000);
  expect(ferretdbPids(dir)).toEqual([]);
  for (const pid of ferrets) expect(() => process.kill(pid, 0)).toThrow();
  expect(server.output()).not.toMatch(/\n\s+at /); // no stack trace
}
