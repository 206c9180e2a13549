import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedFerretdb } from '../../src/db/ferretdb/launcher.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One FerretDB for the whole run, on a free port with a temporary SQLite folder (never ./data).
 * Each test file uses its own database name. TEST_MONGODB_URI runs the suite against a real MongoDB instead.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_MONGODB_URI) {
    project.provide('mongoUri', process.env.TEST_MONGODB_URI);
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'policy-training-test-'));
  const ferret = await startEmbeddedFerretdb({ dataDir: dir });
  project.provide('mongoUri', ferret.uri);
  return async () => {
    await ferret.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
