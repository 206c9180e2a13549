import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** FerretDB running under its leash (./leash.mjs), a child of this process. */
export interface LeashedProcess {
  /** Resolves once FerretDB and its leash have ended, with how FerretDB ended ("was killed by SIGKILL"). */
  exited: Promise<string>;
  running(): boolean;
  /** The last few kilobytes FerretDB wrote to stderr (its errors). */
  stderr(): string;
  /** Stops FerretDB (SIGTERM, then SIGKILL after a grace period); resolves once it has ended. */
  stop(): Promise<void>;
}

const LEASH = fileURLToPath(new URL('./leash.mjs', import.meta.url));
/** The leash kills FerretDB 5 s after asking it to stop; this is the app's own last resort after that. */
const STOP_DEADLINE_MS = 7_000;

function signalName(code: number): string | undefined {
  return Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const last = stderr.trim().split('\n').at(-1)?.trim().slice(0, 300);
  const how =
    signal !== null
      ? `lost its leash (killed by ${signal})`
      : code === 127
        ? 'could not be started'
        : code !== null && code > 128 && signalName(code)
          ? `was killed by ${signalName(code)}`
          : `exited with code ${code}`;
  return last ? `${how} (${last})` : how;
}

/**
 * Starts `command` (FerretDB) under the leash: a small Node process, detached into its own process
 * group so a Ctrl+C in the terminal reaches only the app (which then stops the database after its
 * requests), with a pipe from this process on its stdin. When this process ends in any way, the
 * operating system closes the pipe and the leash stops FerretDB; `stop()` closes the pipe itself.
 */
export function spawnLeashed(command: string[], env: NodeJS.ProcessEnv, label: string): LeashedProcess {
  // The leash is plain JavaScript: no loader (tsx) is needed, and none is inherited.
  const { NODE_OPTIONS: _loaders, ...inherited } = env;
  const leash = spawn(process.execPath, [LEASH, label], {
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...inherited, FERRETDB_LEASH_COMMAND: JSON.stringify(command) },
  });
  let stderr = '';
  leash.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Never write to the pipe: an error on it only means the leash has already gone.
  leash.stdin?.on('error', () => {});

  let ended = false;
  const exited = new Promise<string>((resolve) => {
    leash.once('error', (err) => {
      ended = true;
      resolve(`could not be started (its leash: ${err.message})`);
    });
    leash.once('exit', (_code, signal) => {
      ended = true;
      // The leash itself was killed: FerretDB, in its process group, must not run on unwatched.
      if (signal !== null && leash.pid) {
        try {
          process.kill(-leash.pid, 'SIGKILL');
        } catch {
          // nothing left in the group
        }
      }
    });
    // 'close' comes after 'exit' once FerretDB's last words on stderr have been read.
    leash.once('close', (code, signal) => resolve(describeExit(code, signal, stderr)));
  });

  return {
    exited,
    running: () => !ended,
    stderr: () => stderr,
    async stop() {
      if (ended) return;
      leash.stdin?.end();
      const timer = setTimeout(() => {
        try {
          if (leash.pid) process.kill(-leash.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, STOP_DEADLINE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
