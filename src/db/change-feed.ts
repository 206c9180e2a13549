import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from './connection.js';
import type { Models } from './models/index.js';

/**
 * What one instance tells the others (issue #30, several instances on one database):
 * - `session`: that session ended (a sign-out);
 * - `sessions`: all of that person's sessions ended, but `exceptSid` (role change, deactivation, erasure);
 * - `person`: that person changed (HR, SCIM, SSO, their language): read them again;
 * - `people`: a batch (an import) changed these people, or, without `userIds`, too many to list:
 *   read them again, or everyone (db/feed-batch.ts: one entry for the batch, not one per row);
 * - `sessionsOf`: every session of these people ended (a batch's deactivations and role changes);
 * - `setting`: a setting every instance keeps a copy of changed: read it again (SharedSetting).
 */
export type FeedChange =
  | { kind: 'session'; sid: string }
  | { kind: 'sessions'; userId: string; exceptSid?: string }
  | { kind: 'person'; userId: string }
  | { kind: 'people'; userIds?: string[] }
  | { kind: 'sessionsOf'; userIds: string[] }
  | { kind: 'setting'; what: SharedSetting };

/**
 * The settings each instance keeps in memory (services/settings-feed.ts applies them):
 * - `profile`: the organisation profile (every page; the courses' placeholders);
 * - `policy`: the published policy versions and HR's translations of their clauses (the courses as served);
 * - `xapi`: the LRS settings (whether learning events are queued, and how the learner is named).
 */
export type SharedSetting = 'profile' | 'policy' | 'xapi';
export const SHARED_SETTINGS: readonly SharedSetting[] = ['profile', 'policy', 'xapi'];

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

/** Who owns entry number `_id`: the one publisher whose insert of it succeeded. */
interface FeedClaim {
  _id: number;
}

const HEAD_ID = 'head';
/**
 * The feed is a ring of this many slots, so it never grows and needs no pruning; a poller more
 * than this many entries behind starts afresh (its poller drops every copy; see change-feed-poller.ts).
 */
export const FEED_SLOTS = 4096;

export const slotOf = (seq: number) => `slot:${seq % FEED_SLOTS}`;

/**
 * A publisher that finds this many numbers in a row claimed by others gives up (an error, not a
 * loop): racing instances lose a handful at most.
 */
const MAX_CLAIM_TRIES = 50;

/**
 * Each connection's publishes, one after another, so one instance's entries are numbered in the
 * order it published them and its publishes do not race each other for numbers. Across instances
 * the claims (`change_feed_claims`) make each number one publisher's.
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
 * The change feed: `change_feed_head` (one counter document), `change_feed_claims` (who owns each
 * recent number) and `change_feed` (a ring of numbered slots). Every read and write is by plain `_id`, the one lookup FerretDB answers from an index: a
 * range or sort on the feed is a scan (measured: 530 ms a read with 10,000 entries). A writer takes
 * the next number from the head, claims it by inserting `{_id: number}` (FerretDB v1's `$inc` is
 * not atomic: measured, 50 at once returned 40 distinct numbers, so two publishers, even in two
 * instances, can be handed the same number; the unique `_id` makes one of them the owner and the
 * other takes another number), then writes its slot; a poller reads the head every poll and, when
 * it moved, each new slot by `_id`. Driver collections without a mongoose model: only this file
 * reads and writes them.
 */
export function changeFeed(models: Models) {
  const db = models.Session.db.db;
  if (!db) throw new Error('change feed: the connection is not open');
  const feed = db.collection<FeedEntry>('change_feed');
  const head = db.collection<FeedHead>('change_feed_head');
  const claims = db.collection<FeedClaim>('change_feed_claims');
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

  /** A number no other publisher has: taken from the head, owned once its claim is inserted. */
  async function claimSeq(): Promise<number> {
    for (let tries = 0; tries < MAX_CLAIM_TRIES; tries += 1) {
      const seq = await nextSeq();
      try {
        await claims.insertOne({ _id: seq });
        return seq;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new Error(`change feed: ${MAX_CLAIM_TRIES} numbers in a row were claimed by others`);
  }

  return {
    origin,
    /**
     * Writes one change for the other instances: claims a number, then fills its slot. The claim
     * of one lap ago (a number long since written) goes at the same time, by `_id` (a range delete
     * would scan on FerretDB), so the claims stay about FEED_SLOTS documents.
     */
    publish(change: FeedChange): Promise<void> {
      const write = async () => {
        const seq = await claimSeq();
        const entry = { ...change, seq, origin, at: new Date() };
        await Promise.all([
          feed.replaceOne({ _id: slotOf(seq) }, entry, { upsert: true }),
          seq > FEED_SLOTS ? claims.deleteOne({ _id: seq - FEED_SLOTS }) : null,
        ]);
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
