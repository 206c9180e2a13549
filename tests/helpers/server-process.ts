import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// The real `npm start` path: server.ts in a child process with the embedded FerretDB under DATA_DIR.
const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface RunningServer {
  child: ChildProcess;
  port: number;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
}

/** Starts `src/server.ts` on `port` with its data under `dataDir`, and waits for /readyz. */
export async function startServer(
  port: number,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: repoRoot,
    // Vitest sets BASE_URL=/ for Vite; the app needs an absolute URL.
    env: {
      ...process.env,
      BASE_URL: `http://localhost:${port}`,
      NODE_ENV: 'development',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SWEEP_SCHEDULE: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`server exited early:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, port, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready:\n${output}`);
}

/** SIGTERM, then the time the process took to exit (at once if it already has). */
export async function stopServer(run: RunningServer): Promise<number> {
  const started = Date.now();
  if (run.child.exitCode !== null || run.child.signalCode !== null) return 0;
  const exited = new Promise<void>((resolve) => run.child.once('exit', () => resolve()));
  run.child.kill('SIGTERM');
  await exited;
  return Date.now() - started;
}

/** The cookies a response sets, as one Cookie header. */
export function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Posts the real sign-in form (token and cookie from GET /login) with `fields` added; redirects are not followed. */
export async function postLoginForm(run: RunningServer, fields: Record<string, string>): Promise<Response> {
  const page = await fetch(`http://127.0.0.1:${run.port}/login`);
  const cookie = cookieHeader(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return fetch(`http://127.0.0.1:${run.port}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: token, ...fields }),
  });
}
