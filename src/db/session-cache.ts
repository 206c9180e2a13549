import { LRUCache } from 'lru-cache';

/** One stored session as the store knows it: its data as JSON, when it expires and whose it is. */
export interface SessionRecord {
  json: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  userId: string | null;
}

interface Entry extends SessionRecord {
  /** When the copy was read or written (app clock, epoch ms): the start of its TTL. */
  cachedAt: number;
}

/** Database operations on one session id that are under way. */
interface InFlight {
  /** Operations (reads and writes) holding this record. */
  ops: number;
  /** Writes (set, destroy) not finished yet. */
  writes: number;
  /** Bumped when a write starts and when it ends. */
  version: number;
}

export interface SessionCacheOptions {
  /** How long a copy is served without reading the database again, in milliseconds (> 0). */
  ttlMs: number;
  /** The app's clock. TTL and expiry are measured with it, never with lru-cache's own timers. */
  now: () => Date;
  /** Most sessions kept; the least recently used is dropped first. */
  max?: number;
}

export const SESSION_CACHE_MAX = 20_000;

/**
 * Copies of sessions, so an authenticated request does not re-read its session from the database.
 * The database stays the truth: the store writes through it, and this cache only saves reads.
 *
 * A session ended in this process (logout, role change, deactivation, expiry clean-up) is evicted
 * at once; one ended in another process (a second app instance, the `lms` CLI) is evicted when this
 * process's change-feed poller sees it (db/change-feed-poller.ts, within a second). The TTL is a
 * load knob and the last resort should the feed be unreadable.
 *
 * Each copy is kept as a JSON string and parsed on every hit, so no request can change an object
 * another request is given. A copy is valid while `now - cachedAt < ttl` and `now < expiresAt`.
 *
 * A database read or write that overlaps another write of the same session, or a bulk end
 * (`endSessionsOf`, `endExpired`), does not fill the cache: its result may be older than what the
 * database now holds (e.g. a read that started before a logout's delete and finished after it
 * must not bring the session back for a whole TTL). Such a request simply reads again next time.
 */
export class SessionCache {
  readonly ttlMs: number;
  readonly #now: () => Date;
  readonly #lru: LRUCache<string, Entry>;
  /**
   * userId → its cached session ids, kept exact by lru-cache's dispose hook (eviction, delete,
   * replacement). Ending one user's sessions is then O(their sessions) rather than a scan of up to
   * `max` entries per user, which matters when a CSV import deactivates hundreds of people at once.
   * Anonymous sessions (before login) are not indexed.
   */
  readonly #byUser = new Map<string, Set<string>>();
  readonly #inFlight = new Map<string, InFlight>();
  /** Bumped when a bulk end starts and when it finishes. */
  #epoch = 0;
  #bulkEnds = 0;

  constructor(opts: SessionCacheOptions) {
    if (!(opts.ttlMs > 0)) throw new Error('SessionCache needs a positive TTL');
    this.ttlMs = opts.ttlMs;
    this.#now = opts.now;
    this.#lru = new LRUCache<string, Entry>({
      max: opts.max ?? SESSION_CACHE_MAX,
      dispose: (entry, sid) => this.#unindex(sid, entry.userId),
    });
  }

  /** Number of copies held, valid or not (for tests and diagnostics). */
  get size(): number {
    return this.#lru.size;
  }

  /** A valid copy, freshly parsed; undefined on a miss (a stale or expired copy is dropped). */
  get(sid: string): Record<string, unknown> | undefined {
    const entry = this.#lru.get(sid);
    if (!entry) return undefined;
    const now = this.#now().getTime();
    if (now - entry.cachedAt < this.ttlMs && now < entry.expiresAt) {
      return JSON.parse(entry.json) as Record<string, unknown>;
    }
    this.#lru.delete(sid);
    return undefined;
  }

  /** Whether a copy is held, valid or not, without touching its recency. */
  holds(sid: string): boolean {
    return this.#lru.has(sid);
  }

  /**
   * Reads one session from the database with `read` (null: not found or expired, never cached)
   * and keeps what it found, unless a write of that session or a bulk end overlapped the read.
   */
  async load(sid: string, read: () => Promise<SessionRecord | null>): Promise<SessionRecord | null> {
    const startedAt = this.#now().getTime();
    const epoch = this.#epoch;
    const flight = this.#begin(sid);
    const version = flight.version;
    const quiet = flight.writes === 0 && this.#bulkEnds === 0;
    try {
      const record = await read();
      if (record && quiet && flight.version === version && this.#epoch === epoch) {
        this.#put(sid, record, startedAt);
      }
      return record;
    } finally {
      this.#finish(sid, flight);
    }
  }

  /**
   * Writes one session through: drops the copy, runs `write` against the database, then keeps
   * the record `write` returns (null: a delete, or nothing worth keeping) unless another write of
   * that session or a bulk end overlapped this one.
   */
  async save(sid: string, write: () => Promise<SessionRecord | null>): Promise<void> {
    const startedAt = this.#now().getTime();
    this.#lru.delete(sid);
    const epoch = this.#epoch;
    const quiet = this.#bulkEnds === 0;
    const flight = this.#begin(sid);
    flight.writes += 1;
    flight.version += 1;
    const version = flight.version;
    let record: SessionRecord | null = null;
    try {
      record = await write();
    } finally {
      flight.writes -= 1;
      const alone = flight.version === version;
      flight.version += 1;
      if (record && quiet && alone && this.#epoch === epoch) this.#put(sid, record, startedAt);
      this.#finish(sid, flight);
    }
  }

  /** Evicts a user's copies (all but `exceptSid`) at once, then runs the database delete. */
  endSessionsOf<T>(userId: string, exceptSid: string | undefined, remove: () => Promise<T>): Promise<T> {
    return this.#bulkEnd(() => {
      for (const sid of [...(this.#byUser.get(userId) ?? [])]) {
        if (sid !== exceptSid) this.#lru.delete(sid);
      }
    }, remove);
  }

  /**
   * Drops one copy because the session ended in another instance (the change feed). The epoch moves,
   * so a read that started before the end cannot put the copy back.
   */
  evict(sid: string): void {
    this.#epoch += 1;
    this.#lru.delete(sid);
  }

  /** Drops every copy (the change feed could not say which sessions ended elsewhere). */
  evictAll(): void {
    this.#epoch += 1;
    this.#lru.clear();
    this.#byUser.clear();
  }

  /** Drops a user's copies (all but `exceptSid`): their sessions ended in another instance. */
  evictSessionsOf(userId: string, exceptSid?: string): void {
    this.#epoch += 1;
    for (const sid of [...(this.#byUser.get(userId) ?? [])]) {
      if (sid !== exceptSid) this.#lru.delete(sid);
    }
  }

  /**
   * Evicts the copies expired at `now` (the same rule as the database delete), then runs it.
   * A scan of the cache: it runs once a night over at most `max` entries, so an expiry index
   * would cost more on every write than it saves here.
   */
  endExpired<T>(now: Date, remove: () => Promise<T>): Promise<T> {
    const at = now.getTime();
    return this.#bulkEnd(() => {
      const expired: string[] = [];
      for (const [sid, entry] of this.#lru.entries()) if (entry.expiresAt <= at) expired.push(sid);
      for (const sid of expired) this.#lru.delete(sid);
    }, remove);
  }

  async #bulkEnd<T>(evict: () => void, remove: () => Promise<T>): Promise<T> {
    this.#bulkEnds += 1;
    this.#epoch += 1;
    try {
      evict();
      return await remove();
    } finally {
      this.#bulkEnds -= 1;
      this.#epoch += 1;
    }
  }

  #begin(sid: string): InFlight {
    let flight = this.#inFlight.get(sid);
    if (!flight) {
      flight = { ops: 0, writes: 0, version: 0 };
      this.#inFlight.set(sid, flight);
    }
    flight.ops += 1;
    return flight;
  }

  #finish(sid: string, flight: InFlight): void {
    flight.ops -= 1;
    if (flight.ops === 0) this.#inFlight.delete(sid);
  }

  #put(sid: string, record: SessionRecord, cachedAt: number): void {
    this.#lru.set(sid, { json: record.json, expiresAt: record.expiresAt, userId: record.userId, cachedAt });
    if (record.userId) {
      let sids = this.#byUser.get(record.userId);
      if (!sids) {
        sids = new Set();
        this.#byUser.set(record.userId, sids);
      }
      sids.add(sid);
    }
  }

  #unindex(sid: string, userId: string | null): void {
    if (!userId) return;
    const sids = this.#byUser.get(userId);
    if (!sids) return;
    sids.delete(sid);
    if (sids.size === 0) this.#byUser.delete(userId);
  }
}
