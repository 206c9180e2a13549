import { defaultCoursesDir, loadCourses } from '../../../src/content/index.js';
import { type Db, openDb } from '../../../src/db/connection.js';
import type { Course } from '../../../src/domain/course.js';
import { hashPassword } from '../../../src/services/identity/passwords.js';
import { COURSE_ID } from '../../factories.js';
import { generateOrg, type OrgSummary } from '../synthetic-org.js';
import { type AppUnderTest, startAppProcess } from './app-process.js';
import { benchDbName } from './ferret.js';

export const BENCH_PASSWORD = 'bench-password';

/** What every measurement gets: where the database is, the course, and a logger. */
export interface BenchContext {
  mongoUri: string;
  courses: Map<string, Course>;
  course: Course;
  /** A real argon2id hash of BENCH_PASSWORD, shared by all synthetic people. */
  passwordHash: string;
  /** FerretDB's pid when the bench started it (CPU and memory readings); null otherwise. */
  dbPid: number | null;
  log(line: string): void;
}

export async function createContext(
  mongoUri: string,
  log: (line: string) => void,
  dbPid: number | null = null,
): Promise<BenchContext> {
  const courses = await loadCourses(defaultCoursesDir);
  const course = courses.get(COURSE_ID);
  if (!course) throw new Error(`course ${COURSE_ID} not found`);
  return { mongoUri, courses, course, passwordHash: await hashPassword(BENCH_PASSWORD), dbPid, log };
}

/** A synthetic organisation in its own database, with the app serving it from a child process. */
export interface OrgFixture {
  ctx: BenchContext;
  dbName: string;
  db: Db;
  org: OrgSummary;
  app: AppUnderTest;
  close(opts?: { drop?: boolean }): Promise<void>;
}

export async function openOrgFixture(
  ctx: BenchContext,
  opts: {
    label: string;
    employees: number;
    audit?: boolean;
    dbName?: string;
    logLevel?: string;
    /** The organisation's "today" (the same for organisations meant to be alike). */
    now?: Date;
    /** Serves the database another way than the bench's app child (e.g. the real src/server.ts). */
    startApp?: (dbName: string) => Promise<AppUnderTest>;
  },
): Promise<OrgFixture> {
  const dbName = opts.dbName ?? benchDbName(opts.label);
  // openDb creates the app's indexes, as the app does on start.
  const db = await openDb(ctx.mongoUri, dbName);
  ctx.log(`  generating ${opts.employees} employees with two years of history (${dbName})…`);
  const org = await generateOrg(db.models, {
    employees: opts.employees,
    course: ctx.course,
    now: opts.now ?? new Date(),
    passwordHash: ctx.passwordHash,
    audit: opts.audit ?? true,
    sessionShare: 0.3,
  });
  ctx.log(`  generated in ${(org.ms / 1000).toFixed(1)} s: ${JSON.stringify(org.counts)}`);
  const app = opts.startApp
    ? await opts.startApp(dbName)
    : await startAppProcess({ mongoUri: ctx.mongoUri, dbName, logLevel: opts.logLevel ?? 'warn' });
  return {
    ctx,
    dbName,
    db,
    org,
    app,
    async close({ drop = true } = {}) {
      await app.close();
      if (drop) await db.conn.dropDatabase().catch(() => {});
      await db.close();
    },
  };
}
