import { parseArgs } from './cli/parse-args.js';
import { commands } from './cli/registry.js';
import { type CliCommand, type CliContext, CliUsageError } from './cli/types.js';
import { type Config, ConfigError, loadConfig, xapiAllowedHosts } from './config.js';
import { ContentError, defaultCoursesDir, loadCourses } from './content/index.js';
import { servableTranslations } from './content/translation/index.js';
import { openDb } from './db/connection.js';
import { openDatabaseServer } from './db/database-server.js';
import { MissingGoError } from './db/ferretdb/build.js';
import { systemClock } from './domain/clock.js';
import type { Course } from './domain/course.js';
import { createMailer, type Mailer } from './mail/transport.js';
import { createAuditLog, signerFromKey } from './services/audit/log.js';
import { createCatalogue } from './services/courses/index.js';
import { createServices, type Services } from './services/index.js';
import { ledgerFile } from './services/operations/backup/index.js';

function printUsage(): void {
  console.error('Usage: npm run lms -- <command> [flags]\n\nCommands:');
  for (const c of commands) console.error(`  ${c.usage}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What a command that uses the database works with, opened once for the run. */
interface Backend {
  mailer: Mailer;
  services: Services;
  close(): Promise<void>;
}

/**
 * The database (the embedded server if configured), the audit log, the run's own mailer, and the
 * services wired once on them (services/index.ts), as the app wires `app.services`. The courses are
 * resolved (services/courses/) before the command runs, so every command sees them as served.
 */
async function openBackend(config: Config, courses: Map<string, Course>): Promise<Backend> {
  const server = await openDatabaseServer(config, (line) => console.error(line));
  const db = await openDb(server.uri, config.DB_NAME, config.QUERY_INDEXES);
  const audit = createAuditLog(db.models, signerFromKey(config.AUDIT_SIGNING_KEY));
  const mailer = createMailer(config, db.models);
  // The translations learners get are the ones scorm:export --lang may package.
  const { translations, broken } = await servableTranslations(defaultCoursesDir, courses.keys(), (problems) =>
    console.error(`course translations left out:\n${problems.join('\n')}`),
  );
  const catalogue = createCatalogue({
    models: db.models,
    served: courses,
    clock: systemClock,
    translations,
    broken,
  });
  const services = createServices({
    models: db.models,
    courses,
    catalogue,
    audit,
    mailer,
    baseUrl: config.BASE_URL,
    xapiAllowedHosts: xapiAllowedHosts(config.XAPI_ALLOWED_HOSTS),
    erasureLedger: ledgerFile(config.DATA_DIR, config.DB_NAME),
  });
  // The run's courses as served: the saved profile's values and the published policy versions.
  if (courses.size > 0) await catalogue.refresh({ force: true });
  return {
    mailer,
    services,
    async close() {
      mailer.close();
      await db.close().catch(() => {});
      await server.stop();
    },
  };
}

function contextFor(
  command: CliCommand,
  config: Config,
  courses: Map<string, Course>,
  backend: Backend | null,
) {
  const need = (): Backend => {
    if (!backend) throw new Error(`${command.name} does not use the database`);
    return backend;
  };
  const ctx: CliContext = {
    config,
    courses,
    clock: systemClock,
    out: (line) => console.log(line),
    readStdin,
    get services() {
      return need().services;
    },
    get mailKind() {
      return need().mailer.kind;
    },
  };
  return ctx;
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
  const backend = command.needsDatabase === false ? null : await openBackend(config, courses);
  try {
    return await command.run(contextFor(command, config, courses, backend), parseArgs(rest));
  } finally {
    await backend?.close();
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
