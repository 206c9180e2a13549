import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * FerretDB v1.24.2's SQLite backend creates its unique `_id` index on `_ferretdb_sjson->"_id"` but
 * filters, updates and deletes by `_ferretdb_sjson->'$._id'`. SQLite only uses an expression index
 * for the identical expression, so every lookup, update and delete by `_id` scans the whole table
 * (measured: about 1 s per lookup at 100k documents). This one-line fix makes those statements use
 * the index FerretDB already maintains; results are unchanged. `FERRETDB_PRISTINE=1` builds the
 * unmodified module instead, for comparison.
 */
const ID_INDEX_PATCH = {
  file: path.join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: 'IDColumn = DefaultColumn + `->"_id"`',
};

const pristine = process.env.FERRETDB_PRISTINE === '1';

/** Where the built binary lives: inside the project, ignored by git, reused across runs. */
export const ferretdbBinaryPath = path.join(
  repoRoot,
  '.cache',
  'ferretdb',
  pristine ? FERRETDB_VERSION : `${FERRETDB_VERSION}-id-index`,
  'ferretdb',
);

async function applyIdIndexPatch(sourceDir: string): Promise<void> {
  const file = path.join(sourceDir, ID_INDEX_PATCH.file);
  const text = await readFile(file, 'utf8');
  if (!text.includes(ID_INDEX_PATCH.from))
    throw new Error(`FerretDB source changed: ${ID_INDEX_PATCH.file} has no IDColumn line to fix`);
  await writeFile(file, text.replace(ID_INDEX_PATCH.from, ID_INDEX_PATCH.to));
}

export class MissingGoError extends Error {
  constructor() {
    super(
      'The embedded database needs Go 1.24 or newer to build FerretDB: install Go (https://go.dev/dl/) or set MONGODB_URI to an existing MongoDB server.',
    );
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function goVersion(): Promise<string> {
  try {
    const { stdout } = await run('go', ['version']);
    return stdout.trim();
  } catch {
    throw new MissingGoError();
  }
}

async function reportsVersion(binary: string): Promise<boolean> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 20_000 });
    return stdout.includes(FERRETDB_VERSION);
  } catch {
    return false;
  }
}

/**
 * Builds FerretDB from the Go module proxy once and returns the binary path.
 *
 * A plain `go install` of v1.24.2 yields a binary that panics on start because
 * build/version/version.txt is not part of the published module, so we build from
 * a writable copy of the module source with that file written in.
 */
export async function ensureFerretdbBinary(log: (line: string) => void = console.log): Promise<string> {
  if ((await exists(ferretdbBinaryPath)) && (await reportsVersion(ferretdbBinaryPath)))
    return ferretdbBinaryPath;

  const go = await goVersion();
  log(`[ferretdb] building FerretDB ${FERRETDB_VERSION} with ${go} (first run only, about 2 minutes)…`);
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };

  log('[ferretdb] downloading module source from the Go module proxy…');
  const { stdout } = await run('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], {
    env,
    maxBuffer: 10 * 1024 * 1024,
  });
  const moduleDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download did not report a source folder for ${MODULE}`);

  const work = path.join(tmpdir(), `ferretdb-build-${process.pid}-${Date.now()}`);
  try {
    await cp(moduleDir, work, { recursive: true, mode: 0 });
    await run('chmod', ['-R', 'u+w', work]);
    await writeFile(path.join(work, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    if (!pristine) {
      log('[ferretdb] applying the _id index fix (see ID_INDEX_PATCH in src/db/ferretdb/build.ts)…');
      await applyIdIndexPatch(work);
    }

    log('[ferretdb] compiling (pure Go, CGO_ENABLED=0)…');
    await mkdir(path.dirname(ferretdbBinaryPath), { recursive: true });
    const partial = `${ferretdbBinaryPath}.${process.pid}.partial`;
    await run('go', ['build', '-trimpath', '-o', partial, './cmd/ferretdb'], {
      cwd: work,
      env,
      maxBuffer: 10 * 1024 * 1024,
    });
    if (!(await reportsVersion(partial)))
      throw new Error(`the FerretDB binary built at ${partial} does not start`);
    // Rename is atomic, so a concurrent build never leaves a half-written binary behind.
    await rename(partial, ferretdbBinaryPath);
    log(`[ferretdb] ready: ${ferretdbBinaryPath}`);
    return ferretdbBinaryPath;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
