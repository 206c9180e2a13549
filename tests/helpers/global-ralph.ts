import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const VENV = path.join(repoRoot, '.cache/ralph-venv');
const PINS = path.join(repoRoot, '.ci/ralph-constraints.txt');

/** `pip freeze` lines, compared case-insensitively and in any order. */
const normalise = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line && !line.startsWith('#'))
    .sort()
    .join('\n');

async function installedPins(): Promise<string> {
  try {
    return normalise((await run(path.join(VENV, 'bin/pip'), ['freeze'])).stdout);
  } catch {
    return '';
  }
}

/**
 * The xAPI and cmi5 tests read statements back from a real LRS, Ralph (tests/helpers/ralph.ts).
 * Like FerretDB, it is set up by the commands themselves, so `npm test` works on a fresh machine:
 * once, into `.cache/ralph-venv`, every package at the version `.ci/ralph-constraints.txt` pins
 * (about a minute; skipped when the venv already holds exactly those versions, rebuilt from empty
 * otherwise). `RALPH_BIN` names another Ralph and skips this.
 */
export default async function setup() {
  if (process.env.RALPH_BIN) return;
  const wanted = normalise(await readFile(PINS, 'utf8'));
  if ((await installedPins()) === wanted) return;
  console.log('Installing Ralph (the LRS the xAPI tests use) into .cache/ralph-venv, once…');
  await run('python3', ['-m', 'venv', '--clear', VENV]);
  await run(path.join(VENV, 'bin/pip'), ['install', '-q', '-c', PINS, 'ralph-malph[cli,lrs]', 'requests'], {
    maxBuffer: 16 * 1024 * 1024,
  });
  if ((await installedPins()) !== wanted)
    throw new Error(`Ralph's virtual environment does not match ${PINS} after installing`);
}
