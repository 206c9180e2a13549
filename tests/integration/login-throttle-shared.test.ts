import { createHash, createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ACTOR_EMAILS, ClientSession } from '../helpers/actors.js';
import { createSecondApp, createTestApp, createUser, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { commandsDuring, type DbCommand, isWrite, monitoredUri } from '../helpers/db-commands.js';

/**
 * Issue #30: the sign-in throttle's records live in the database, so its limits hold across app
 * workers and instances (before, each process counted on its own: WORKERS=8 gave an attacker 8×
 * the attempts). Two apps on one database, one clock.
 */
let a: TestApp;
let b: TestApp;
/**
 * Accounts that exist (cheap test hashes): a wrong password for an unknown account is checked
 * against a dummy hash of production cost (passwords.ts), about 150 ms each on this machine.
 */
const office = Array.from({ length: 60 }, (_, i) => `office-${i}@example.com`);
beforeAll(async () => {
  a = await createTestApp({ label: 'login-throttle-shared', mongoUri: monitoredUri(inject('mongoUri')) });
  b = await createSecondApp(a);
  for (const email of office) await createUser(a.app, { email });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const errorOf = (html: string) => /<p class="field-error"[^>]*>([^<]+)</.exec(html)?.[1];

function signIn(app: FastifyInstance, email: string, password: string, ip: string) {
  return new ClientSession(app, ip).post('/login', { email, password }, '/login');
}

async function failIn(app: FastifyInstance, email: string, ips: string[]) {
  const statuses: number[] = [];
  for (const ip of ips) statuses.push((await signIn(app, email, 'wrong-password-1', ip)).statusCode);
  return statuses;
}

const ips = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i + 1}`);
const throttleRecords = () => a.app.db.conn.db!.collection('login_throttle');

describe('the limits hold across two instances', () => {
  it('one account from one address: failures through A and B add up to the five free ones', async () => {
    const email = ACTOR_EMAILS.manager;
    const ip = '10.40.0.1';
    expect(await failIn(a.app, email, [ip, ip, ip])).toEqual([401, 401, 401]);
    expect(await failIn(b.app, email, [ip, ip])).toEqual([401, 401]);
    const early = await signIn(a.app, email, TEST_PASSWORD, ip);
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('30');
    expect((await signIn(b.app, email, TEST_PASSWORD, ip)).statusCode).toBe(429);
    a.clock.advance(30_000);
    // A correct password through B clears the pair for A too.
    expect((await signIn(b.app, email, TEST_PASSWORD, ip)).statusCode).toBe(303);
    expect(await failIn(a.app, email, Array(5).fill(ip))).toEqual(Array(5).fill(401));
    expect((await signIn(a.app, email, TEST_PASSWORD, ip)).statusCode).toBe(429);
    a.clock.advance(30_000);
  });

  it('one address spraying many accounts: 15 through A and 15 through B use up the 30', async () => {
    const ip = '10.41.0.1';
    for (let i = 0; i < 15; i += 1) {
      expect((await signIn(a.app, office[i]!, 'Summer2026!', ip)).statusCode).toBe(401);
      expect((await signIn(b.app, office[15 + i]!, 'Summer2026!', ip)).statusCode).toBe(401);
    }
    const refused = await signIn(a.app, ACTOR_EMAILS.employee, TEST_PASSWORD, ip);
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused.body)).toMatch(/from your network\. Please try again in 15 minutes\./);
    expect((await signIn(b.app, office[30]!, 'Summer2026!', ip)).statusCode).toBe(429);
    a.clock.advance(15 * 60_000);
  });

  it('one account from many addresses: the owner gets exactly one e-mail for 5 + 5 failures through A and B', async () => {
    const email = 'ben.bauer@demo.test';
    const alerts = () => a.app.db.models.Outbox.countDocuments({ kind: 'login-alert', to: email });
    await failIn(a.app, email, ips('10.42.0', 5));
    await failIn(b.app, email, ips('10.42.1', 4));
    expect(await alerts()).toBe(0);
    await failIn(b.app, email, ['10.42.2.1']);
    await vi.waitFor(async () => expect(await alerts()).toBe(1), { timeout: 5000 });
    await failIn(a.app, email, ips('10.42.3', 3));
    await failIn(b.app, email, ips('10.42.4', 3));
    await new Promise((r) => setTimeout(r, 300));
    expect(await alerts()).toBe(1);
    a.clock.advance(15 * 60_000);
  });
});

describe('concurrent bursts across two instances lose no attempt', () => {
  it('40 parallel wrong passwords for one account from one address: exactly 5 checked, 35 refused', async () => {
    const email = ACTOR_EMAILS.otherEmployee;
    const ip = '10.43.0.1';
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(i % 2 ? b.app : a.app, email, 'wrong-password-1', ip)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(35).fill(429)]);
    // Five failures recorded, none lost: after the 30 s wait one more attempt, then a 60 s wait.
    a.clock.advance(30_000);
    expect((await signIn(b.app, email, 'wrong-password-1', ip)).statusCode).toBe(401);
    expect((await signIn(a.app, email, TEST_PASSWORD, ip)).headers['retry-after']).toBe('60');
    a.clock.advance(60_000);
    expect((await signIn(a.app, email, TEST_PASSWORD, ip)).statusCode).toBe(303);
  });

  it('40 parallel wrong passwords from one address to 40 accounts: exactly 30 checked, 10 refused', async () => {
    const ip = '10.44.0.1';
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(i % 2 ? b.app : a.app, office[i]!, 'wrong-password-1', ip)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array(30).fill(401), ...Array(10).fill(429)]);
    a.clock.advance(15 * 60_000);
  });
});

describe('an office behind one address (or TRUST_PROXY unset): many correct sign-ins at once', () => {
  it('40 sign-ins begun at once from one address, none finished: 30 go ahead, 10 told "busy" for seconds, not 15 minutes', async () => {
    const now = a.clock.now();
    const begin = (app: FastifyInstance, i: number) =>
      app.services.identity.beginSignIn({ email: `inflight-${i}@example.com`, address: '10.49.0.1', now });
    const gates = await Promise.all(Array.from({ length: 40 }, (_, i) => begin(i % 2 ? b.app : a.app, i)));
    const allowed = gates.flatMap((g) => (g.allowed ? [g.attempt] : []));
    expect(allowed).toHaveLength(30);
    for (const g of gates.filter((g) => !g.allowed))
      expect(g).toEqual({ allowed: false, reason: 'busy', retryAfterMs: 2000 });
    // Every one of them correct: the address has its whole allowance again.
    await Promise.all(
      allowed.map((attempt) => a.app.services.identity.endSignIn({ attempt, outcome: 'succeeded', now })),
    );
    expect(await begin(b.app, 40)).toMatchObject({ allowed: true });
    a.clock.advance(15 * 60_000);
  });

  it('checks slower than 30 s: three waves of 40 begun 30 001 ms apart across A and B, none finished, get 30 checks in all', async () => {
    const start = a.clock.now().getTime();
    const at = (wave: number) => new Date(start + wave * 30_001);
    const begin = (app: FastifyInstance, i: number, now: Date) =>
      app.services.identity.beginSignIn({ email: `slow-${i}@example.com`, address: '10.50.0.1', now });
    const allowed = [];
    for (const wave of [0, 1, 2]) {
      const gates = await Promise.all(
        Array.from({ length: 40 }, (_, i) => begin(i % 2 ? b.app : a.app, i, at(wave))),
      );
      allowed.push(...gates.flatMap((g) => (g.allowed ? [g.attempt] : [])));
      if (wave > 0) for (const g of gates) expect(g).toMatchObject({ allowed: false, reason: 'address' });
    }
    expect(allowed).toHaveLength(30);
    // The verdicts land late: wrong passwords add nothing (each counted when it expired)...
    const late = at(3);
    await Promise.all(
      allowed
        .slice(1)
        .map((attempt) => a.app.services.identity.endSignIn({ attempt, outcome: 'failed', now: late })),
    );
    expect(await begin(b.app, 50, late)).toMatchObject({ allowed: false, reason: 'address' });
    // ...and a correct one gives its failure back, once: one more check, then refused again.
    for (let i = 0; i < 2; i += 1)
      await b.app.services.identity.endSignIn({ attempt: allowed[0]!, outcome: 'succeeded', now: late });
    expect(await begin(a.app, 51, late)).toMatchObject({ allowed: true });
    expect(await begin(b.app, 52, late)).toMatchObject({ allowed: false, reason: 'busy' });
    a.clock.advance(15 * 60_000);
  });

  it('60 parallel correct sign-ins of different accounts across A and B: nobody is told to wait minutes, all get in', async () => {
    const ip = '10.48.0.1';
    const emails = office;
    const started = Date.now();
    let waiting = emails;
    const refusals: { retryAfter: number; message: string | undefined }[] = [];
    const rounds: string[] = [];
    for (let round = 0; round < 5 && waiting.length > 0; round += 1) {
      const roundStart = Date.now();
      const responses = await Promise.all(
        waiting.map((email, i) => signIn(i % 2 ? b.app : a.app, email, TEST_PASSWORD, ip)),
      );
      const refused = responses.flatMap((r, i) => (r.statusCode === 303 ? [] : [{ r, email: waiting[i]! }]));
      for (const { r } of refused) {
        expect(r.statusCode).toBe(429);
        refusals.push({ retryAfter: Number(r.headers['retry-after']), message: errorOf(r.body) });
      }
      waiting = refused.map(({ email }) => email);
      rounds.push(`${responses.length} in ${Date.now() - roundStart} ms → ${refused.length} refused`);
    }
    const waits = [...new Set(refusals.map((r) => r.retryAfter))].join('/');
    console.log(
      `60 parallel correct sign-ins from one address: ${Date.now() - started} ms in all; ${rounds.join('; ')}; retry-after ${waits || '-'} s`,
    );
    expect(waiting).toEqual([]);
    for (const refusal of refusals) {
      expect(refusal.retryAfter).toBeLessThanOrEqual(5);
      expect(refusal.message).toMatch(/^Many people are signing in from your network right now\./);
    }
    // Nothing was counted against the address: a wrong-password burst from it still gets all 30.
    const wrong = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(i % 2 ? b.app : a.app, office[i]!, 'wrong-1', ip)),
    );
    const statuses = wrong.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array(30).fill(401), ...Array(10).fill(429)]);
    a.clock.advance(15 * 60_000);
  });
});

describe('what is stored', () => {
  it('keys are HMACs under the session secret: neither the typed address nor the IP is stored, nor its plain hash', async () => {
    const email = 'clear.text@example.com';
    const ip = '10.45.0.1';
    await failIn(a.app, email, [ip]);
    const key = a.app.config.SESSION_SECRET;
    const pairId = createHmac('sha256', key).update(`pair\n${email}\n${ip}`).digest('hex');
    const stored = await throttleRecords().findOne({ _id: pairId as never });
    expect(stored).toMatchObject({ v: 1 });
    const plainIp = createHash('sha256').update(`address\n${ip}`).digest('hex');
    expect(await throttleRecords().countDocuments({ _id: plainIp as never })).toBe(0);
    const all = JSON.stringify(await throttleRecords().find({}).toArray());
    expect(all).not.toContain(email);
    expect(all).not.toContain(ip);
    // A record's hint (<hash>) and its versions (<hash>:<n>).
    for (const doc of await throttleRecords().find({}).toArray())
      expect(doc._id).toMatch(/^[0-9a-f]{64}(:\d+)?$/);
  });

  it('the nightly job deletes the records whose window has passed and keeps the live ones', async () => {
    await failIn(a.app, 'old.record@example.com', ['10.46.0.1']);
    a.clock.advance(26 * 60 * 60_000);
    await failIn(a.app, 'fresh.record@example.com', ['10.46.0.2']);
    const before = await throttleRecords().countDocuments({});
    const report = await a.app.services.jobs.runNightly({ now: a.clock.now() });
    expect(report.throttleRecordsPruned).toBeGreaterThanOrEqual(3);
    const left = await throttleRecords().find({}).toArray();
    expect(left.length).toBe(before - report.throttleRecordsPruned);
    // What is left: the fresh failure's pair and account records (hint and version 1) and its address
    // record (hint, version 1: in flight, version 2: failed), all live.
    expect(left).toHaveLength(7);
    for (const doc of left)
      expect((doc.expiresAt as Date).getTime()).toBeGreaterThan(a.clock.now().getTime());
  });
});

describe('what a sign-in costs in the database', () => {
  it('the throttle reads and writes its records by _id only: a few commands per sign-in', async () => {
    const throttle = (cs: DbCommand[]) => cs.filter((c) => c.endsWith(' login_throttle'));
    const scans: string[] = [];
    const failed = await commandsDuring(
      a.app,
      () => signIn(a.app, 'cost.check@example.com', 'wrong-password-1', '10.47.0.1'),
      scans,
    );
    const signedIn = await commandsDuring(
      a.app,
      () => signIn(a.app, ACTOR_EMAILS.employee, TEST_PASSWORD, '10.47.0.2'),
      scans,
    );
    expect(scans.filter((s) => s.includes('login_throttle'))).toEqual([]);
    // A wrong password, first in its windows: for the pair, the address and then the account, read
    // the hint and the next version (none), insert version 1 and move the hint; then for the address,
    // from version 1, read on (none), insert version 2 (failed, no longer in flight), move the hint.
    expect(throttle(failed)).toHaveLength(15);
    expect(throttle(failed).filter(isWrite)).toHaveLength(8);
    // A correct password: the same for the pair and the address, then from the versions written,
    // read on (none), insert the cleared pair and the address given back, move both hints.
    expect(throttle(signedIn)).toHaveLength(14);
    expect(throttle(signedIn).filter(isWrite)).toHaveLength(8);
    console.log(
      `sign-in throttle: wrong password ${throttle(failed).length} of ${failed.length} commands, ` +
        `right password ${throttle(signedIn).length} of ${signedIn.length}`,
    );
  });
});
