import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SessionCache, type SessionRecord } from '../../src/db/session-cache.js';
import { createSessionStore, sessionsRepository } from '../../src/db/session-store.js';
import { COURSE_ID } from '../factories.js';
import { signIn } from '../helpers/actors.js';
import { createTestApp, createUser, type Session, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { commandsDuring, type DbCommand, monitoredUri } from '../helpers/db-commands.js';

/**
 * The in-process session cache (db/session-cache.ts) in front of the session store: a signed-in
 * request within the TTL does not read its session again; whatever ends a session in this process
 * ends it at once; a session ended elsewhere (here: deleted straight from the database) is served
 * for at most the TTL. Time is the app's pinned clock, never real time.
 */

const SESSION_READ: DbCommand = 'find sessions';
const sessionReads = (commands: DbCommand[]) => commands.filter((c) => c === SESSION_READ).length;

let t: TestApp;
let ttlMs: number;
beforeAll(async () => {
  t = await createTestApp({ label: 'session-cache', mongoUri: monitoredUri(inject('mongoUri')) });
  ttlMs = t.config.SESSION_CACHE_SECONDS * 1000;
});
afterAll(async () => t.close());

let counter = 0;
/** A new employee signed in from their own address; returns their id and session. */
async function newPerson(app: FastifyInstance, label: string): Promise<{ id: string; session: Session }> {
  counter += 1;
  const email = `${label}-${counter}@session-cache.test`;
  const user = await createUser(app, { email });
  return { id: user._id, session: await signIn(app, email) };
}

/** One GET with the commands it sent. */
async function measuredGet(app: FastifyInstance, s: Session, url = '/') {
  let status = 0;
  let location: string | undefined;
  const commands = await commandsDuring(app, async () => {
    const res = await s.get(url);
    status = res.statusCode;
    location = res.headers.location as string | undefined;
  });
  return { status, location, commands, reads: sessionReads(commands) };
}

const sentToLogin = (r: { status: number; location?: string | undefined }) =>
  r.status === 302 && /^\/login/.test(r.location ?? '');

/** Warms a session (its first page stores the CSRF secret) and checks the next request is a hit. */
async function cached(app: FastifyInstance, s: Session): Promise<void> {
  expect((await s.get('/')).statusCode).toBe(200);
  const hit = await measuredGet(app, s);
  expect(hit.status).toBe(200);
  expect(hit.reads, hit.commands.join(', ')).toBe(0);
}

async function editPerson(hr: Session, userId: string, change: { role?: string; active?: boolean }) {
  const user = await t.app.db.models.User.findById(userId).lean();
  if (!user) throw new Error('no such person');
  const form: Record<string, string> = {
    email: user.email,
    name: user.name,
    employeeId: user.employeeId ?? '',
    department: user.department,
    managerEmail: '',
    hireDate: '',
    locale: user.locale,
    role: change.role ?? user.role,
  };
  if (change.active ?? user.active) form.active = 'yes';
  return hr.post(`/hr/people/${userId}/edit`, form, `/hr/people/${userId}/edit`);
}

describe('session cache (SESSION_CACHE_SECONDS=20, the default)', () => {
  it('a second request within the TTL reads no session; once the TTL has passed it reads again', async () => {
    expect(t.config.SESSION_CACHE_SECONDS).toBe(20);
    const { session } = await newPerson(t.app, 'ttl');
    await cached(t.app, session);

    t.clock.advance(ttlMs - 1);
    expect((await measuredGet(t.app, session)).reads).toBe(0);

    t.clock.advance(1);
    const past = await measuredGet(t.app, session);
    expect(past.status).toBe(200);
    expect(past.reads, past.commands.join(', ')).toBe(1);

    // Read again, so cached again from now on.
    expect((await measuredGet(t.app, session)).reads).toBe(0);
  });

  it('logout ends a cached session at once: the old cookie is sent to login', async () => {
    const { id, session } = await newPerson(t.app, 'logout');
    await cached(t.app, session);
    const copied = { ...session.cookies };
    expect((await session.post('/logout')).statusCode).toBe(303);
    expect(await t.app.db.models.Session.countDocuments({ userId: id })).toBe(0);

    // No time passes: the copy must be gone, not merely stale.
    const replay = await t.app.inject({
      method: 'GET',
      url: '/',
      cookies: copied,
      remoteAddress: '10.77.0.1',
    });
    expect(sentToLogin({ status: replay.statusCode, location: replay.headers.location as string })).toBe(
      true,
    );
  });

  it('a role change by HR ends every cached session of that person at once, and no one else’s', async () => {
    const hr = await signIn(t.app, 'hr@demo.test');
    const { id, session: laptop } = await newPerson(t.app, 'promoted');
    const email = (await t.app.db.models.User.findById(id).lean())!.email;
    const phone = await signIn(t.app, email);
    const bystander = (await newPerson(t.app, 'bystander')).session;
    for (const s of [laptop, phone, bystander]) await cached(t.app, s);

    expect((await editPerson(hr, id, { role: 'hr' })).statusCode).toBe(303);
    expect((await t.app.db.models.User.findById(id).lean())?.role).toBe('hr');

    expect(sentToLogin(await measuredGet(t.app, laptop))).toBe(true);
    expect(sentToLogin(await measuredGet(t.app, phone))).toBe(true);
    const other = await measuredGet(t.app, bystander);
    expect(other.status).toBe(200);
    expect(other.reads).toBe(0);
    // HR's own session is untouched.
    expect((await hr.get('/hr/people')).statusCode).toBe(200);
  });

  it('a deactivation by HR ends the person’s cached session at once', async () => {
    const hr = await signIn(t.app, 'hr@demo.test');
    const { id, session } = await newPerson(t.app, 'leaver');
    await cached(t.app, session);

    expect((await editPerson(hr, id, { active: false })).statusCode).toBe(303);
    expect((await t.app.db.models.User.findById(id).lean())?.active).toBe(false);
    expect(sentToLogin(await measuredGet(t.app, session))).toBe(true);
  });

  it('a session deleted by another process (straight from the database) is served until the TTL passes, not after', async () => {
    const { id, session } = await newPerson(t.app, 'elsewhere');
    await cached(t.app, session);
    // The copy was made at the last fill; pin the TTL to start from there.
    t.clock.advance(ttlMs);
    expect((await measuredGet(t.app, session)).reads).toBe(1);

    await t.app.db.models.Session.deleteMany({ userId: id });

    // Bounded staleness: this process cannot know, so its copy is still served...
    const stale = await measuredGet(t.app, session);
    expect(stale.status).toBe(200);
    expect(stale.reads).toBe(0);
    t.clock.advance(ttlMs - 1);
    expect((await measuredGet(t.app, session)).status).toBe(200);
    // ...and never past the TTL.
    t.clock.advance(1);
    const after = await measuredGet(t.app, session);
    expect(after.reads).toBe(1);
    expect(sentToLogin(after)).toBe(true);
  });

  it('a request served from the copy of a session ended elsewhere does not bring it back', async () => {
    const { id, session } = await newPerson(t.app, 'no-resurrect');
    // This process's copy of the session without a CSRF secret (as stored before logins kept one),
    // written through the app's own store, so the next page has the secret to write.
    const stored = (await t.app.db.models.Session.findOne({ userId: id }).lean())!;
    const { _csrf: _secret, ...data } = stored.data as Record<string, unknown>;
    const store = createSessionStore(t.app.db.models, () => t.clock.now(), {
      cacheSeconds: t.config.SESSION_CACHE_SECONDS,
    });
    await new Promise<void>((resolve, reject) =>
      store.set(stored._id, data as never, (err) => (err ? reject(err) : resolve())),
    );
    // Ended elsewhere; the next page is served from the copy and stores the secret (a session write).
    await t.app.db.models.Session.deleteMany({ userId: id });
    expect((await session.get('/')).statusCode).toBe(200);
    expect(await t.app.db.models.Session.countDocuments({ userId: id })).toBe(0);
    // The write found no session, so the copy is gone too: the next request is sent to login.
    expect(sentToLogin(await measuredGet(t.app, session))).toBe(true);
  });

  it('the nightly expired-session clean-up evicts the copies it deletes', async () => {
    const { id, session } = await newPerson(t.app, 'nightly');
    await cached(t.app, session);
    const doc = await t.app.db.models.Session.findOne({ userId: id }).lean();
    // Run as if at the session's expiry (as `jobs:run --now` may); the app's clock stays before it.
    expect(await sessionsRepository(t.app.db.models).deleteExpired(doc!.expiresAt)).toBeGreaterThan(0);
    expect(sentToLogin(await measuredGet(t.app, session))).toBe(true);
  });

  it('a session’s expiry is honoured on a cache hit', async () => {
    const { id, session } = await newPerson(t.app, 'expiry');
    await cached(t.app, session);
    const doc = await t.app.db.models.Session.findOne({ userId: id }).lean();
    const expiresAt = doc!.expiresAt.getTime();

    t.clock.set(new Date(expiresAt - 5_000));
    expect((await measuredGet(t.app, session)).reads).toBe(1); // copied again, 5 s before expiry
    t.clock.advance(4_999);
    const last = await measuredGet(t.app, session);
    expect(last.status).toBe(200);
    expect(last.reads).toBe(0);
    // 5 s into a 20 s TTL the copy is fresh, but the session has expired.
    t.clock.advance(1);
    expect(sentToLogin(await measuredGet(t.app, session))).toBe(true);
  });
});

describe('SESSION_CACHE_SECONDS=0', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await createTestApp({
      label: 'session-cache-off',
      mongoUri: monitoredUri(inject('mongoUri')),
      config: { SESSION_CACHE_SECONDS: 0 },
    });
  });
  afterAll(async () => off.close());

  it('every request reads its session from the database', async () => {
    const { session } = await newPerson(off.app, 'off');
    expect((await session.get('/')).statusCode).toBe(200);
    for (let i = 0; i < 3; i += 1) {
      const res = await measuredGet(off.app, session);
      expect(res.status).toBe(200);
      expect(res.reads, res.commands.join(', ')).toBe(1);
    }
  });

  it('a repeat lesson view sends the same commands as with the cache, less the session read', async () => {
    const lesson = `/learn/${COURSE_ID}/lessons/${off.app.courses.get(COURSE_ID)!.lessons[0]!.id}`;
    const repeatView = async (app: FastifyInstance) => {
      const { session } = await newPerson(app, 'lesson');
      expect((await session.get(lesson)).statusCode).toBe(200);
      const res = await measuredGet(app, session, lesson);
      expect(res.status).toBe(200);
      return res.commands;
    };
    const without = await repeatView(off.app);
    const withCache = await repeatView(t.app);
    console.log(
      `[session cache] repeat lesson view: ${without.length} commands without the cache (${without.join(', ')}), ` +
        `${withCache.length} with it (${withCache.join(', ')})`,
    );
    expect(sessionReads(without)).toBe(1);
    expect(sessionReads(withCache)).toBe(0);
    expect([...withCache].sort()).toEqual(without.filter((c) => c !== SESSION_READ).sort());
  });
});

describe('SessionCache on its own', () => {
  const record = (userId: string | null, data: Record<string, unknown> = {}): SessionRecord => ({
    json: JSON.stringify(data),
    expiresAt: Date.parse('2026-03-03T00:00:00Z'),
    userId,
  });
  const deferred = <T>() => {
    let resolve!: (v: T) => void;
    const promise = new Promise<T>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  };
  const fresh = (max?: number): { cache: SessionCache; clock: TestClock } => {
    const clock = new TestClock('2026-03-02T09:00:00Z');
    return {
      clock,
      cache: new SessionCache({ ttlMs: 20_000, now: () => clock.now(), ...(max ? { max } : {}) }),
    };
  };

  it('gives every hit its own object', async () => {
    const { cache } = fresh();
    await cache.save('a', async () => record('u1', { user: { id: 'u1', role: 'employee' } }));
    const first = cache.get('a') as { user: { role: string } };
    first.user.role = 'admin';
    expect((cache.get('a') as { user: { role: string } }).user.role).toBe('employee');
  });

  it('a read that overlaps a write of the same session does not cache its older result', async () => {
    const { cache } = fresh();
    const read = deferred<SessionRecord | null>();
    const loading = cache.load('a', () => read.promise);
    await cache.save('a', async () => record('u1', { v: 'new' }));
    read.resolve(record('u1', { v: 'old' }));
    await loading;
    expect(cache.get('a')).toEqual({ v: 'new' });

    // A read overlapping a delete (logout) leaves nothing behind.
    const read2 = deferred<SessionRecord | null>();
    const loading2 = cache.load('a', () => read2.promise);
    await cache.save('a', async () => null);
    read2.resolve(record('u1', { v: 'new' }));
    await loading2;
    expect(cache.get('a')).toBeUndefined();
  });

  it('a read that overlaps ending a user’s sessions does not cache', async () => {
    const { cache } = fresh();
    const read = deferred<SessionRecord | null>();
    const loading = cache.load('a', () => read.promise);
    await cache.endSessionsOf('u1', undefined, async () => 1);
    read.resolve(record('u1'));
    await loading;
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps its user index right through LRU eviction and replacement', async () => {
    const { cache } = fresh(2);
    await cache.save('a', async () => record('u1'));
    await cache.save('b', async () => record('u2'));
    await cache.save('c', async () => record('u1')); // evicts a
    await cache.save('b', async () => record('u1')); // b now belongs to u1
    expect(cache.size).toBe(2);
    await cache.endSessionsOf('u1', 'c', async () => 0);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toEqual({});
    await cache.endSessionsOf('u2', undefined, async () => 0);
    expect(cache.get('c')).toEqual({});
  });
});
