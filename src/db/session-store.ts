import type { Session } from 'fastify';
import { changeFeed } from './change-feed.js';
import type { FeedBatch } from './feed-batch.js';
import type { Models } from './models/index.js';
import type { SessionDoc } from './models/session.js';
import { SessionCache, type SessionRecord } from './session-cache.js';

type Callback = (err?: unknown) => void;

const DAY = 24 * 60 * 60 * 1000;

/**
 * The session cache of each connection, keyed by its Session model (one per connection), so the
 * store that fills it and `sessionsRepository` (used by the people service and the nightly job
 * with the same `models`) evict from the same copies. A process that never creates a caching
 * store (the CLI, the bench helpers, SESSION_CACHE_SECONDS=0) has no cache and nothing to evict.
 */
const caches = new WeakMap<Models['Session'], SessionCache>();

export interface SessionStoreOptions {
  /** How long a session is served from memory before it is read again; 0 (default): always read. */
  cacheSeconds?: number;
  /** Most sessions kept in memory. */
  cacheMax?: number;
}

/** The connection's session cache, if a caching store made one (the change-feed poller evicts from it). */
export function sessionCacheOf(models: Models): SessionCache | undefined {
  return caches.get(models.Session);
}

/** The connection's session cache, created by the first caching store on it (later ones share it). */
function sessionCacheFor(models: Models, now: () => Date, opts: SessionStoreOptions): SessionCache | null {
  const seconds = opts.cacheSeconds ?? 0;
  if (seconds <= 0) return null;
  let cache = caches.get(models.Session);
  if (!cache) {
    cache = new SessionCache({
      ttlMs: seconds * 1000,
      now,
      ...(opts.cacheMax ? { max: opts.cacheMax } : {}),
    });
    caches.set(models.Session, cache);
  }
  return cache;
}

function recordOf(doc: Pick<SessionDoc, 'data' | 'expiresAt' | 'userId'>): SessionRecord {
  return { json: JSON.stringify(doc.data), expiresAt: doc.expiresAt.getTime(), userId: doc.userId ?? null };
}

/**
 * Server-side session store for @fastify/session on our own connection.
 * Each session is read and written by `_id` (the one lookup FerretDB indexes), and
 * carries the user id so a role change or deactivation can end that user's sessions.
 * Expired sessions are deleted by a job: FerretDB has no TTL indexes.
 *
 * With `cacheSeconds` > 0 the store writes through an in-process cache (db/session-cache.ts):
 * `get` serves a valid copy without a database read; `set` and `destroy` change the database and
 * the copy together. A session ended in another process is dropped from the copy when the change
 * feed says so (db/change-feed-poller.ts).
 */
export function createSessionStore(models: Models, now: () => Date, opts: SessionStoreOptions = {}) {
  const { Session: SessionModel } = models;
  const cache = sessionCacheFor(models, now, opts);

  async function read(sid: string): Promise<SessionRecord | null> {
    const doc = await SessionModel.findById(sid).lean();
    if (!doc || doc.expiresAt.getTime() <= now().getTime()) return null;
    return recordOf(doc);
  }

  async function write(sid: string, session: Session, known: boolean): Promise<SessionRecord | null> {
    const json = JSON.stringify(session);
    const plain = JSON.parse(json) as Record<string, unknown> & {
      cookie?: { expires?: string };
      user?: { id?: string };
    };
    const expiresAt = plain.cookie?.expires
      ? new Date(plain.cookie.expires)
      : new Date(now().getTime() + DAY);
    const userId = plain.user?.id ?? null;
    const res = await SessionModel.updateOne(
      { _id: sid },
      { $set: { data: plain, expiresAt, userId } },
      { upsert: !known },
    );
    if (known && res.matchedCount === 0) return null;
    return { json, expiresAt: expiresAt.getTime(), userId };
  }

  return {
    set(sid: string, session: Session, callback: Callback) {
      // A session this process holds a copy of already exists in the database, unless another
      // process ended it since: it is updated without an upsert, so a request served from the
      // copy cannot bring an ended session back. A new session (no copy) is inserted.
      const known = cache?.holds(sid) ?? false;
      const done = cache ? cache.save(sid, () => write(sid, session, known)) : write(sid, session, false);
      done.then(
        () => callback(),
        (err: unknown) => callback(err),
      );
    },
    get(sid: string, callback: (err: unknown, session?: Session | null) => void) {
      const hit = cache?.get(sid);
      if (hit) return callback(null, hit as unknown as Session);
      (cache ? cache.load(sid, () => read(sid)) : read(sid)).then(
        (record) => callback(null, record ? (JSON.parse(record.json) as Session) : null),
        (err: unknown) => callback(err),
      );
    },
    destroy(sid: string, callback: Callback) {
      const remove = async () => {
        const ended = await SessionModel.findOneAndDelete({ _id: sid }).lean();
        // A signed-in session: the other instances drop their copies (an anonymous one is harmless).
        if (ended?.userId) await changeFeed(models).publish({ kind: 'session', sid });
        return null;
      };
      (cache ? cache.save(sid, remove) : remove()).then(
        () => callback(),
        (err: unknown) => callback(err),
      );
    },
  };
}

export function sessionsRepository(models: Models) {
  // Looked up on each call: the store may be created after this repository.
  const cacheOf = () => caches.get(models.Session);
  return {
    /**
     * Ends every session of a user except, optionally, the current one. This process's cached
     * copies go at once; other processes' when their change-feed poller reads the entry (its own,
     * or, for a bulk write, the batch's list of people whose sessions ended).
     */
    async endSessionsOf(userId: string, exceptSid?: string, batch?: FeedBatch): Promise<number> {
      const filter = exceptSid ? { userId, _id: { $ne: exceptSid } } : { userId };
      const remove = async () => (await models.Session.deleteMany(filter)).deletedCount;
      const ended = await (cacheOf()?.endSessionsOf(userId, exceptSid, remove) ?? remove());
      if (ended > 0 && batch && !exceptSid) await batch.sessionsEnded(userId);
      else if (ended > 0)
        await changeFeed(models).publish({ kind: 'sessions', userId, ...(exceptSid ? { exceptSid } : {}) });
      return ended;
    },
    async deleteExpired(now: Date): Promise<number> {
      const remove = async () => (await models.Session.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
      return cacheOf()?.endExpired(now, remove) ?? remove();
    },
  };
}
