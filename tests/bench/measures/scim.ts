import { openDb } from '../../../src/db/connection.js';
import { systemClock } from '../../../src/domain/clock.js';
import { outboxMailer } from '../../../src/mail/transport.js';
import { createAuditLog } from '../../../src/services/audit/log.js';
import type { ServiceContext } from '../../../src/services/context.js';
import { createCatalogue } from '../../../src/services/courses/index.js';
import { scimCommands } from '../../../src/services/identity/scim/index.js';
import { createPerson } from '../../../src/services/people/people.js';
import { startAppProcess } from '../lib/app-process.js';
import type { BenchContext } from '../lib/context.js';
import { benchDbName } from '../lib/ferret.js';
import type { MeasureResult, Row } from '../lib/results.js';
import { percentile, ratio, round } from '../lib/stats.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface ScimTimings {
  users: number;
  concurrency: number;
  create: { wallMs: number; p50: number; p95: number; failures: number };
  update: { wallMs: number; p50: number; p95: number; failures: number };
  get: { wallMs: number; p50: number; p95: number; failures: number };
  /** Entra's lookup before a create: `userName eq` of someone not there yet (a miss). */
  missByUserName: { wallMs: number; p50: number; p95: number; failures: number };
  /** `externalId eq` of each person created (a hit). */
  hitByExternalId: { wallMs: number; p50: number; p95: number; failures: number };
  /** The same number of people created by the people service in this process, without HTTP or SCIM. */
  serviceCreateWallMs: number;
  updatedInDb: number;
}

/** Runs `n` requests, `concurrency` at a time; per-request times and the wall time. */
async function load(n: number, concurrency: number, send: (i: number) => Promise<boolean>) {
  const times: number[] = [];
  let next = 0;
  let failures = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        if (!(await send(i))) failures += 1;
        times.push(performance.now() - t);
      }
    }),
  );
  const wallMs = performance.now() - start;
  return { wallMs, p50: percentile(times, 50), p95: percentile(times, 95), failures };
}

function serviceContext(bench: BenchContext, models: ServiceContext['models']): ServiceContext {
  const served = new Map(bench.courses);
  return {
    models,
    courses: served,
    catalogue: createCatalogue({ models, served, clock: systemClock }),
    audit: createAuditLog(models),
    mailer: outboxMailer(models),
    baseUrl: 'http://127.0.0.1:3000',
  };
}

/**
 * SCIM provisioning over HTTP against the real app in its own process: `users` people created by
 * POST /scim/v2/Users, then each updated by an Entra-style PATCH (department and a string boolean),
 * next to GET /scim/v2/Users/:id of the same people (same token check, one read: the floor of a SCIM
 * request) and to the same number of creates through the people service in this process.
 */
export async function scimProvisioningAt(
  bench: BenchContext,
  users: number,
  concurrency = 8,
): Promise<ScimTimings> {
  const dbName = benchDbName('scim');
  const db = await openDb(bench.mongoUri, dbName);
  const ctx = serviceContext(bench, db.models);
  const app = await startAppProcess({ mongoUri: bench.mongoUri, dbName });
  try {
    const { token } = await scimCommands.createScimToken(ctx, { createdBy: 'bench', now: new Date() });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
    const ids: string[] = new Array(users);
    const create = await load(users, concurrency, async (i) => {
      const email = `scim.user${i}@bench.test`;
      const res = await fetch(`${app.url}/scim/v2/Users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          schemas: [USER, ENT],
          userName: email,
          externalId: `ext-${i}`,
          name: { givenName: 'Bench', familyName: `User ${i}` },
          emails: [{ value: email, type: 'work', primary: true }],
          active: true,
          [ENT]: { department: `Dept ${i % 20}`, employeeNumber: `B-${i}` },
        }),
      });
      const body = (await res.json()) as { id?: string };
      ids[i] = body.id ?? '';
      return res.status === 201;
    });
    const update = await load(users, concurrency, async (i) => {
      const res = await fetch(`${app.url}/scim/v2/Users/${ids[i]}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({
          schemas: [PATCH],
          Operations: [
            { op: 'Replace', path: `${ENT}:department`, value: 'Moved' },
            { op: 'Replace', path: 'active', value: 'True' },
          ],
        }),
      });
      await res.arrayBuffer();
      return res.status === 200;
    });
    const get = await load(users, concurrency, async (i) => {
      const res = await fetch(`${app.url}/scim/v2/Users/${ids[i]}`, { headers });
      await res.arrayBuffer();
      return res.status === 200;
    });
    const lookup = (filter: string, expected: number) => async () => {
      const res = await fetch(`${app.url}/scim/v2/Users?filter=${encodeURIComponent(filter)}`, { headers });
      const body = (await res.json()) as { totalResults?: number };
      return res.status === 200 && body.totalResults === expected;
    };
    const missByUserName = await load(users, concurrency, (i) =>
      lookup(`userName eq "scim.new${i}@bench.test"`, 0)(),
    );
    const hitByExternalId = await load(users, concurrency, (i) => lookup(`externalId eq "ext-${i}"`, 1)());
    const updatedInDb = await db.models.User.countDocuments({ department: 'Moved' });
    const serviceStart = performance.now();
    for (let i = 0; i < users; i++) {
      await createPerson(ctx, {
        person: {
          email: `service.user${i}@bench.test`,
          name: `Service User ${i}`,
          employeeId: null,
          department: `Dept ${i % 20}`,
          managerId: null,
          hireDate: null,
          locale: 'en',
          active: true,
        },
        actorId: null,
        now: new Date(),
      });
    }
    const serviceCreateWallMs = performance.now() - serviceStart;
    return {
      users,
      concurrency,
      create,
      update,
      get,
      missByUserName,
      hitByExternalId,
      serviceCreateWallMs,
      updatedInDb,
    };
  } finally {
    await app.close();
    await db.conn.dropDatabase().catch(() => {});
    await db.close();
  }
}

export function scimRows(t: ScimTimings): Row[] {
  const measure = `SCIM ${t.users} users (${t.concurrency} at a time)`;
  const perRequest = (wallMs: number) => wallMs / t.users;
  return [
    {
      measure,
      metric: 'create (POST) wall time',
      value: round(t.create.wallMs / 1000, 2),
      unit: 's',
      baseline: {
        label: 'people service creates, no HTTP (s)',
        value: round(t.serviceCreateWallMs / 1000, 2),
      },
      ratio: ratio(t.create.wallMs, t.serviceCreateWallMs),
      note: `${t.create.failures} failures`,
    },
    {
      measure,
      metric: 'create per request (p50)',
      value: round(t.create.p50, 1),
      unit: 'ms',
      baseline: { label: 'GET /Users/:id p50', value: round(t.get.p50, 1) },
      ratio: ratio(t.create.p50, t.get.p50),
      note: `p95 ${round(t.create.p95, 1)} ms; ${round(perRequest(t.create.wallMs), 2)} ms of wall time each`,
    },
    {
      measure,
      metric: 'update (Entra PATCH) wall time',
      value: round(t.update.wallMs / 1000, 2),
      unit: 's',
      note: `${t.update.failures} failures; ${t.updatedInDb}/${t.users} stored with the new department`,
    },
    {
      measure,
      metric: 'update per request (p50)',
      value: round(t.update.p50, 1),
      unit: 'ms',
      baseline: { label: 'GET /Users/:id p50', value: round(t.get.p50, 1) },
      ratio: ratio(t.update.p50, t.get.p50),
      note: `p95 ${round(t.update.p95, 1)} ms`,
    },
    ...(
      [
        ['lookup userName eq, a miss (p50)', t.missByUserName],
        ['lookup externalId eq, a hit (p50)', t.hitByExternalId],
      ] as const
    ).map(([metric, l]) => ({
      measure,
      metric,
      value: round(l.p50, 1),
      unit: 'ms',
      baseline: { label: 'GET /Users/:id p50', value: round(t.get.p50, 1) },
      ratio: ratio(l.p50, t.get.p50),
      note: `p95 ${round(l.p95, 1)} ms; ${l.failures} failures; ${round(l.wallMs / 1000, 2)} s for ${t.users}`,
    })),
  ];
}

export async function measureScim(bench: BenchContext, users: number): Promise<MeasureResult> {
  const timings = await scimProvisioningAt(bench, users);
  return {
    id: 'scim',
    title: 'SCIM provisioning over HTTP: users created, then updated',
    rows: scimRows(timings),
    details: { timings },
  };
}
