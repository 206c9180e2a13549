import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, readEnv } from '../../src/config.js';
import type { DatabaseStatus } from '../../src/db/database-server.js';
import type { NewUser } from '../../src/db/repositories/users.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import type { Course } from '../../src/domain/course.js';
import type { BrokenTranslation, CourseTranslation } from '../../src/domain/course-translation.js';
import { hashPassword } from '../../src/services/identity/passwords.js';
import { TestClock } from './clock.js';
import { shippedContent } from './shipped-content.js';

export const TEST_PASSWORD = 'demo-password';

/**
 * What the app keeps beside its database (the erasure ledger, generated key files) goes to a folder of
 * this test process, never the developer's ./data; removed when the process ends.
 */
let testDataDir: string | null = null;
function testDataFolder(): string {
  if (!testDataDir) {
    const dir = mkdtempSync(join(tmpdir(), 'lms-test-data-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    testDataDir = dir;
  }
  return testDataDir;
}

/**
 * argon2id at its smallest useful cost: a sign-in checks the hash in a millisecond instead of half a
 * second, hundreds of times a run. tests/integration/password-hash-cost.test.ts proves every other
 * path (a real start, the CLI) hashes at the production cost.
 */
export const TEST_HASH_COST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...readEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SWEEP_SCHEDULE: 'off' }),
    DATA_DIR: testDataFolder(),
    SESSION_SECRET: 'test-secret-'.padEnd(48, 'x'),
    BASE_URL: 'http://localhost:3000',
    passwordHashCost: TEST_HASH_COST,
    ...overrides,
  };
}

/** A database name unique to this test file (and run), so files never share data. */
export function uniqueDbName(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

export interface TestApp {
  app: FastifyInstance;
  clock: TestClock;
  config: Config;
  close(): Promise<void>;
}

/** Builds the real app on the run's FerretDB with its own database; seeds the demo organisation unless `seed: false`. */
export async function createTestApp(
  opts: {
    label?: string;
    seed?: boolean;
    clock?: TestClock;
    mongoUri?: string;
    config?: Partial<Config>;
    /** Receives each error the app logs (5xx causes), for tests that must explain a 500. */
    onErrorLog?: (line: string) => void;
    /** Adds test-only routes (or hooks) to the app before it is ready. */
    extend?: (app: FastifyInstance) => void;
    /**
     * Where the courses come from: by default courses/ as loaded and checked once for the run by the
     * global setup (tests/helpers/global-content.ts); 'disk' lets the app load and check courses/
     * itself, as server.ts does (seconds per app: for the tests of that start-up path).
     */
    contentFrom?: 'run' | 'disk';
    /** The course templates to serve instead of courses/ (the app resolves them with the saved profile). */
    courses?: Map<string, Course>;
    /** Translations of those courses (content/translation/ readTranslations). */
    translations?: Map<string, CourseTranslation[]>;
    /** Translations of those courses that fail the structural check (readTranslations' `broken`). */
    brokenTranslations?: Map<string, BrokenTranslation[]>;
    /** The embedded database's supervision state (server.ts passes openDatabaseServer's), for /readyz and /metrics. */
    databaseStatus?: DatabaseStatus;
  } = {},
): Promise<TestApp> {
  const clock = opts.clock ?? new TestClock();
  const config = testConfig({ DB_NAME: uniqueDbName(opts.label ?? 'app'), ...opts.config });
  const onErrorLog = opts.onErrorLog;
  const logger = onErrorLog
    ? { level: 'error', stream: { write: (line: string) => onErrorLog(line) } }
    : false;
  const app = await buildApp({
    config,
    mongoUri: opts.mongoUri ?? inject('mongoUri'),
    clock,
    logger,
    ...contentFor(opts),
    databaseStatus: opts.databaseStatus,
  });
  opts.extend?.(app);
  await app.ready();
  if (opts.seed !== false) await app.services.demo.seedDemo({ now: clock.now() });
  return {
    app,
    clock,
    config,
    async close() {
      await app.db.conn.dropDatabase().catch(() => {});
      await app.close();
    },
  };
}

/**
 * A second app instance on `first`'s database (issue #30: several instances behind a load balancer):
 * its own connection pool, caches and holder id, the same config and courses; the clock is
 * `first`'s unless given. close() closes this app only (the first one drops the database).
 */
export async function createSecondApp(
  first: TestApp,
  opts: { clock?: TestClock; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const clock = opts.clock ?? first.clock;
  const config = { ...first.config, ...opts.config };
  const app = await buildApp({
    config,
    mongoUri: inject('mongoUri'),
    clock,
    logger: false,
    ...contentFor({}),
  });
  await app.ready();
  return { app, clock, config, close: () => app.close() };
}

/**
 * The courses and translations a test app gets: those given, else the run's shared copy of courses/
 * (none with `contentFrom: 'disk'` or outside a run that provides it: the app loads courses/ itself).
 */
function contentFor(opts: {
  contentFrom?: 'run' | 'disk';
  courses?: Map<string, Course>;
  translations?: Map<string, CourseTranslation[]>;
  brokenTranslations?: Map<string, BrokenTranslation[]>;
}) {
  const given = { translations: opts.translations, brokenTranslations: opts.brokenTranslations };
  if (opts.courses) return { courses: opts.courses, ...given };
  const shipped = opts.contentFrom === 'disk' ? undefined : shippedContent();
  if (!shipped) return given;
  return {
    courses: shipped.courses,
    translations: given.translations ?? shipped.translations,
    brokenTranslations: given.brokenTranslations ?? shipped.broken,
  };
}

/** TEST_PASSWORD hashed once per test file and cost (the app's config): every test user shares it. */
const testPasswordHashes = new Map<string, Promise<string>>();
function testPasswordHash(app: FastifyInstance): Promise<string> {
  const cost = app.config.passwordHashCost;
  const key = JSON.stringify(cost ?? 'production');
  const known = testPasswordHashes.get(key);
  if (known) return known;
  const hash = hashPassword(TEST_PASSWORD, cost);
  testPasswordHashes.set(key, hash);
  return hash;
}

export async function createUser(app: FastifyInstance, input: Partial<NewUser> & { email: string }) {
  return usersRepository(app.db.models).insert({
    name: input.name ?? input.email.split('@')[0]!,
    department: 'Sales',
    role: 'employee',
    active: true,
    locale: '',
    managerId: null,
    hireDate: null,
    passwordHash: await testPasswordHash(app),
    ...input,
  });
}

function cookiesFrom(res: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.cookies) out[c.name] = c.value;
  return out;
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

/**
 * A signed-in browser-like client for `app.inject`: keeps the session cookie and
 * fetches a CSRF token from any page for form posts.
 */
export class Session {
  cookies: Record<string, string> = {};
  constructor(readonly app: FastifyInstance) {}

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ ...opts, cookies: { ...this.cookies, ...(opts.cookies ?? {}) } });
    Object.assign(this.cookies, cookiesFrom(res));
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  /** A CSRF token valid for this session, taken from a page that renders one. */
  async csrf(fromUrl = '/'): Promise<string> {
    const res = await this.get(fromUrl);
    return csrfFrom(res.body);
  }

  /** Posts an urlencoded form, adding a valid CSRF token unless `_csrf` is given (use null to omit it). */
  async post(url: string, form: Record<string, string | string[] | null> = {}, csrfPage = '/') {
    const body = new URLSearchParams();
    const withToken = '_csrf' in form ? form : { ...form, _csrf: await this.csrf(csrfPage) };
    for (const [k, v] of Object.entries(withToken)) {
      if (v === null) continue;
      for (const item of [v].flat()) body.append(k, item);
    }
    return this.request({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
}

/** Signs in through the real login form and returns the session. */
export async function loginAs(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<Session> {
  const s = new Session(app);
  const res = await s.post('/login', { email, password }, '/login');
  if (res.statusCode !== 303) throw new Error(`login as ${email} failed: ${res.statusCode}`);
  return s;
}
