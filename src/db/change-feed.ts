import { randomBytes } from 'node:crypto';
import type { Models } from './models/index.js';

/**
 * What one instance tells the others (issue #30, several instances on one database):
 * - `session`: that session ended (a sign-out);
 * - `sessions`: all of that person's sessions ended, but `exceptSid` (role change, deactivation, erasure);
 * - `person`: that person changed (HR, SCIM, SSO, their language): read them again;
 * - `people`: a batch (an import) changed these people, or, without `userIds`, too many to list:
 *   read them again, or everyone (db/feed-batch.ts: one entry for the batch, not one per row);
 * - `sessionsOf`: every session of these people ended (a batch's deactivations and role changes).
 */
export type FeedChange =
  | { kind: 'session'; sid: string }
  | { kind: 'sessions'; userId: string; exceptSid?: string }
  | { kind: 'person'; userId: string }
  | { kind: 'people'; userIds?: string[] }
  | { kind: 'sessionsOf'; userIds: string[] };

export type FeedEntry = FeedChange & {
  /** The slot, `slot:<seq mod FEED_SLOTS>`. */
  _id: string;
  /** The entry's number: the head's counter when it was written. */
  seq: number;
  /** The connection that wrote it: an instance skips its own entries (it applied them already). */
  origin: string;
  at: Date;
};

interface FeedHead {
  _id: string;
  /** The number of the last entry handed out (0: none yet). */
  seq: number;
}

const HEAD_ID = 'head';
/**
 * The feed is a ring of this many slots, so it never grows and needs no pruning; a poller more
 * than this many entries behind starts afresh (its poller drops every copy; see change-feed-poller.ts).
 */
export const FEED_SLOTS = 4096;

export const slotOf = (seq: number) => `slot:${seq % FEED_SLOTS}`;

/**
 * Each connection's publishes, one after another: FerretDB v1's findAndModify `$inc` is not atomic
 * (measured: 50 at once returned 40 distinct numbers), so two at once could take the same number and
 * the second slot write would overwrite the first's entry (a lost sign-out). Instances still race
 * with each other (see the README's limits).
 */
const publishing = new WeakMap<Models, Promise<void>>();

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
 * The change feed: `change_feed_head` (one counter document) and `change_feed` (a ring of numbered
 * slots). Every read and write is by plain `_id`, the one lookup FerretDB answers from an index: a
 * range or sort on the feed is a scan (measured: 530 ms a read with 10,000 entries). A writer takes
 * the next number from the head, then writes its slot; a poller reads the head every poll and, when
 * it moved, each new slot by `_id`. Driver collections without a mongoose model: only this file
 * reads and writes them.
 */
export function changeFeed(models: Models) {
  const db = models.Session.db.db;
  if (!db) throw new Error('change feed: the connection is not open');
  const feed = db.collection<FeedEntry>('change_feed');
  const head = db.collection<FeedHead>('change_feed_head');
  const origin = originOf(models);

  async function nextSeq(): Promise<number> {
    const taken = () =>
      head.findOneAndUpdate(
        { _id: HEAD_ID },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
    // Two first writers both upserting: one inserted the head, the other's retry bumps it.
    const doc = await taken().catch((err: { code?: number }) => {
      if (err.code === 11000) return taken();
      throw err;
    });
    if (typeof doc?.seq !== 'number') throw new Error('change feed: the head has no counter');
    return doc.seq;
  }

  return {
    origin,
    /** Writes one change for the other instances: takes its number from the head, then fills its slot. */
    publish(change: FeedChange): Promise<void> {
      const write = async () => {
        const seq = await nextSeq();
        const entry = { ...change, seq, origin, at: new Date() };
        await feed.replaceOne({ _id: slotOf(seq) }, entry, { upsert: true });
      };
      const done = (publishing.get(models) ?? Promise.resolve()).then(write, write);
      publishing.set(
        models,
        done.catch(() => {}),
      );
      return done;
    },
    /** The number of the last entry handed out (0 before the first). */
    async headSeq(): Promise<number> {
      const doc = await head.findOne({ _id: HEAD_ID });
      return typeof doc?.seq === 'number' ? doc.seq : 0;
    },
    /** The slot of entry `seq`: that entry, a later lap's, an earlier lap's, or nothing yet. */
    slot(seq: number): Promise<FeedEntry | null> {
      return feed.findOne({ _id: slotOf(seq) });
    },
  };
}
