/**
 * `npm run bench [-- --quick] [--only=lesson,quiz,…] [--sizes=1000,10000,100000]`
 * Runs the measurements of issue #9 against a FerretDB of its own, prints a table and writes
 * bench-results/bench-<time>.json. Never part of `npm test` (see tests/integration/bench-smoke.test.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from './lib/context.js';
import { startBenchDatabase } from './lib/ferret.js';
import { describeMachine } from './lib/machine.js';
import { planFromArgs } from './lib/options.js';
import { formatTable, type MeasureResult, writeResults } from './lib/results.js';
import { runPlan } from './plan.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const plan = planFromArgs(process.argv.slice(2));
  const machine = describeMachine();
  const log = (line: string) => console.log(line);
  log(
    `bench: ${plan.quick ? 'quick' : 'full'} run on ${machine.nproc} cores, node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
  );
  const database = await startBenchDatabase();
  log(`FerretDB: ${database.binary ?? 'unknown binary'} (SQLite synchronous=${database.sync ?? 'n/a'})`);
  const results: MeasureResult[] = [];
  const started = Date.now();
  try {
    const ctx = await createContext(database.uri, log, database.pid);
    await runPlan(ctx, plan, database, (r) => {
      results.push(r);
      log(`\n${formatTable([r])}\n`);
    });
  } finally {
    await database.stop();
  }
  const file = await writeResults(path.join(repoRoot, 'bench-results'), {
    startedAt: new Date(started).toISOString(),
    tookS: Math.round((Date.now() - started) / 1000),
    machine: { ...machine, loadAverageAtEnd: describeMachine().loadAverage },
    ferretdb: database.binary,
    ferretdbSync: database.sync,
    plan: { ...plan, only: [...plan.only] },
    results,
  });
  log(
    `\n${formatTable(results)}\n\nmachine: ${machine.nproc} cores (${machine.cpu}), ${machine.totalMemGiB} GiB, node ${machine.node}`,
  );
  log(`results: ${path.relative(repoRoot, file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
