import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureFerretdbBinary } from './build.js';

export interface EmbeddedFerretdb {
  uri: string;
  port: number;
  /** Stops the child process; resolves once it has exited. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function pingUntilReady(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`FerretDB exited with code ${child.exitCode} during start-up`);
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.close().catch(() => {});
    }
  }
  throw new Error(`FerretDB did not answer ping within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Starts FerretDB v1 with its SQLite backend as a child process on 127.0.0.1.
 * Data lives in `<dataDir>` (SQLite files and FerretDB's state), so it survives restarts.
 */
export async function startEmbeddedFerretdb(opts: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedFerretdb> {
  const binary = await ensureFerretdbBinary(opts.log);
  const dir = path.resolve(opts.dataDir);
  await mkdir(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      // FerretDB requires an existing directory and a URL ending with a slash.
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    await pingUntilReady(uri, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }

  return {
    uri,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
