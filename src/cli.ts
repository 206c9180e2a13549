import { parseArgs } from './cli/parse-args.js';
import { commands } from './cli/registry.js';
import { type CliContext, CliUsageError } from './cli/types.js';
import { ConfigError, loadConfig } from './config.js';
import { ContentError, defaultCoursesDir, loadCourses } from './content/index.js';
import { type Db, openDb } from './db/connection.js';
import { openDatabaseServer } from './db/database-server.js';
import { MissingGoError } from './db/ferretdb/build.js';
import { systemClock } from './domain/clock.js';
import { type AuditLog, createAuditLog, signerFromKey } from './services/audit/log.js';

function printUsage(): void {
  console.error('Usage: npm run lms -- <command> [flags]\n\nCommands:');
  for (const c of commands) console.error(`  ${c.usage}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Operator commands: `npm run lms -- <command> [flags]`. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    if (name) console.error(`Unknown command "${name}".\n`);
    printUsage();
    return name ? 2 : 0;
  }

  const config = await loadConfig();
  const courses = command.needsCourses === false ? new Map() : await loadCourses(defaultCoursesDir);
  let db: Db | null = null;
  let audit: AuditLog | null = null;
  let stopServer = async () => {};
  if (command.needsDatabase !== false) {
    const server = await openDatabaseServer(config, (line) => console.error(line));
    stopServer = server.stop;
    db = await openDb(server.uri, config.DB_NAME, config.QUERY_INDEXES);
    audit = createAuditLog(db.models, signerFromKey(config.AUDIT_SIGNING_KEY));
  }

  const ctx: CliContext = {
    config,
    courses,
    clock: systemClock,
    out: (line) => console.log(line),
    readStdin,
    get db(): Db {
      if (!db) throw new Error(`${command.name} does not use the database`);
      return db;
    },
    get audit(): AuditLog {
      if (!audit) throw new Error(`${command.name} does not use the database`);
      return audit;
    },
  };

  try {
    return await command.run(ctx, parseArgs(rest));
  } finally {
    await db?.close().catch(() => {});
    await stopServer();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known =
      err instanceof CliUsageError ||
      err instanceof ConfigError ||
      err instanceof MissingGoError ||
      err instanceof ContentError;
    console.error(known ? `Error: ${(err as Error).message}` : err);
    process.exit(1);
  },
);
