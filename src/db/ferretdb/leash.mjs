// @ts-check
/**
 * The embedded FerretDB's leash: a small parent process between the app and FerretDB that ends
 * FerretDB when the app ends, however the app ends (clean stop, crash, timeout, SIGKILL).
 *
 * Node has no PR_SET_PDEATHSIG and FerretDB v1.24.2 has no flag to watch its parent, so the app
 * holds the only write end of a pipe to this process's stdin. The operating system closes that
 * pipe when the app process ends for any reason, and the end of stdin is the one signal this
 * process acts on: it asks FerretDB to stop (SIGTERM), kills it after a grace period, and exits
 * with it. Closing the pipe is also how the app stops FerretDB cleanly, so both paths are one.
 *
 * Plain JavaScript, run by `node` without tsx, so it starts in tens of milliseconds on Node 20+
 * on Linux and macOS.
 *
 * Contract with src/db/ferretdb/launcher.ts:
 * - the command comes in FERRETDB_LEASH_COMMAND, a JSON array `[binary, ...args]` (kept off this
 *   process's command line, so tools that find FerretDB by its arguments find only FerretDB);
 * - FerretDB's stderr is this process's stderr (the app keeps its last lines for diagnostics);
 * - the exit code is FerretDB's own, or 128 + the signal number when a signal ended it.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** How long FerretDB gets to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

const command = JSON.parse(process.env.FERRETDB_LEASH_COMMAND ?? 'null');
if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string')) {
  process.stderr.write('leash: FERRETDB_LEASH_COMMAND must be a JSON array of strings\n');
  process.exit(2);
}
const env = { ...process.env };
delete env.FERRETDB_LEASH_COMMAND;

const [binary, ...args] = command;
const ferret = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'], env });

ferret.on('error', (err) => {
  process.stderr.write(`leash: FerretDB did not start: ${err.message}\n`);
  process.exit(127);
});
ferret.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});

let stopping = false;
function stopFerret() {
  if (stopping) return;
  stopping = true;
  ferret.kill('SIGTERM');
  setTimeout(() => ferret.kill('SIGKILL'), STOP_GRACE_MS);
}

// The app has gone, or asks FerretDB to stop: the pipe ended, closed or broke.
process.stdin.on('end', stopFerret);
process.stdin.on('close', stopFerret);
process.stdin.on('error', stopFerret);
process.stdin.resume();
// Signals sent to this process directly stop FerretDB the same way instead of orphaning it.
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) process.on(signal, stopFerret);
