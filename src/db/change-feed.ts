import { randomBytes } from 'node:crypto';
import type { Models } from './models/index.js';

/**
 * What one instance tells the others (issue #30, several instances on one database):
 * - `session`: that session ended (a sign-out);
 * - `sessions`: all of that person's sessions ended, but `exceptSid` (role change, deactivation, erasure);
 * - `person`: that person changed (HR, an import, SCIM, SSO, their language): reload them.
 */
export type FeedChange =
  | { kind: 'session'; sid: string }
  | { kind: 'sessions'; userId: string; exceptSid?: string }
  | { kind: 'person'; userId: string };

export type FeedEntry = FeedChange & {
  /** `<wall-clock ms, 15 digits>-<random>`: sorts by time across instances, unique without a counter. */
  _id: string;
  /** The connection that wrote it: an instance skips its own entries (it applied them already). */
  origin: string;
  at: Date;
};

interface FeedHead {
  _id: string;
  /** Bumped after each entry is written: pollers read this one document and the feed only when it moved. */
  seq: number;
}

const HEAD_ID = 'head';
/**
 * How long entries are kept: a poller needs only its lookback (seconds) after its last good read;
 * an hour covers an instance cut off from the database that long.
 */
export const FEED_KEEP_MS = 60 * 60 * 1000;
const DUPLICATE_KEY = 11000;

/** The key of the first entry written at `ms` or later. */
export const feedKeyAt = (ms: number) => `${String(Math.max(0, Math.floor(ms))).padStart(15, '0')}-`;

const origins = new WeakMap<Models, string>();
/** This connection's name in the feed (one per app instance or CLI run). */
function originOf(models: Models): string {
  let origin = origins.get(models);
  if (!origin) {
    origin = randomBytes(8).toString('hex');
    origins.set(models, origin);
  }
  return origin;
}

/**
 * The change feed: collection `change_feed` (entries) and `change_feed_head` (one counter document).
 * Driver collections without a mongoose model: the documents are written and read only here.
 * Wall-clock keys, never the app's clock: they order writes between instances (a test clock is
 * pinned). FerretDB scans a range on `_id`, so the poller reads the head (one `_id` lookup) every
 * poll and the feed only after the head moved; the nightly job prunes old entries.
 */
export function changeFeed(models: Models) {
  const db = models.Session.db.db;
  if (!db) throw new Error('change feed: the connection is not open');
  const feed = db.collection<FeedEntry>('change_feed');
  const head = db.collection<FeedHead>('change_feed_head');
  const origin = originOf(models);

  async function bumpHead(): Promise<void> {
    try {
      await head.updateOne({ _id: HEAD_ID }, { $inc: { seq: 1 } }, { upsert: true });
    } catch (err) {
      // Two first writers both upserting: one inserted the head, the other bumps it.
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
      await head.updateOne({ _id: HEAD_ID }, { $inc: { seq: 1 } });
    }
  }

  return {
    origin,
    /** Writes one change for the other instances: the entry first, then the head they watch. */
    async publish(change: FeedChange): Promise<void> {
      const at = new Date();
      const _id = feedKeyAt(at.getTime()) + randomBytes(6).toString('hex');
      await feed.insertOne({ ...change, _id, origin, at } as FeedEntry);
      await bumpHead();
    },
    /** The head's counter (0 before the first entry). */
    async headSeq(): Promise<number> {
      const doc = await head.findOne({ _id: HEAD_ID });
      return typeof doc?.seq === 'number' ? doc.seq : 0;
    },
    /** Entries with a key after `afterKey`, oldest first, at most `limit`. */
    since(afterKey: string, limit: number): Promise<FeedEntry[]> {
      return feed
        .find({ _id: { $gt: afterKey } })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
    },
    /**
     * Deletes the entries older than FEED_KEEP_MS by the wall clock (the keys' clock, not the app's).
     * One scan of the feed, once a night.
     */
    async pruneOld(): Promise<number> {
      return (await feed.deleteMany({ _id: { $lt: feedKeyAt(Date.now() - FEED_KEEP_MS) } })).deletedCount;
    },
  };
}
