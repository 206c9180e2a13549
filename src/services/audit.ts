import { isDuplicateKey } from '../db/connection.js';
import { auditEventId } from '../db/models/audit-event.js';
import type { Models } from '../db/models/index.js';
import { type AuditFields, auditHash, GENESIS_HASH } from '../domain/audit-chain.js';

export interface AuditInput {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  append(event: AuditInput, at: Date): Promise<number>;
}

/** Events written in one insert at most: FerretDB runs each insert as one SQLite transaction. */
const MAX_BATCH = 50;

interface Pending {
  input: AuditInput;
  at: Date;
  resolve(seq: number): void;
  reject(err: unknown): void;
}

export type ChainEnd = { seq: number; hash: string };

/** The stored event that follows `end` in the chain: the next sequence number, linked by hash. */
export function chainedEvent(end: ChainEnd, input: AuditInput, at: Date) {
  const fields: AuditFields = {
    seq: end.seq + 1,
    at,
    actorId: input.actorId,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    subjectId: input.subjectId ?? null,
    details: input.details ?? {},
  };
  const { seq, ...rest } = fields;
  return { _id: auditEventId(seq), seq, ...rest, prevHash: end.hash, hash: auditHash(end.hash, fields) };
}

/**
 * How many documents of an ordered insert went in before a duplicate key stopped it, or null for
 * any other error. (Ordered inserts stop at the first failure: everything before it is stored.)
 */
function insertedBeforeDuplicate(err: unknown): number | null {
  if (!isDuplicateKey(err)) return null;
  const errors = (err as { writeErrors?: unknown }).writeErrors;
  const first = (Array.isArray(errors) ? errors[0] : errors) as { index?: unknown } | undefined;
  return typeof first?.index === 'number' ? first.index : 0;
}

const storedHash = async (models: Models, seq: number): Promise<string | null> =>
  (await models.AuditEvent.findById(auditEventId(seq), { hash: 1 }).lean())?.hash ?? null;

/**
 * The last event, found with about 2·log2(n) indexed lookups (sequence numbers are contiguous):
 * double a bound until it is past the end, then bisect. A sort on `_id` would make FerretDB sort
 * the whole log in memory. An empty log ends at seq 0 with the genesis hash.
 */
export async function auditChainEnd(models: Models): Promise<ChainEnd> {
  const hashAt = (seq: number) => storedHash(models, seq);
  if ((await hashAt(1)) === null) return { seq: 0, hash: GENESIS_HASH };
  let present = 1;
  let absent = 2;
  while ((await hashAt(absent)) !== null) {
    present = absent;
    absent *= 2;
  }
  while (absent - present > 1) {
    const mid = Math.floor((present + absent) / 2);
    if ((await hashAt(mid)) !== null) present = mid;
    else absent = mid;
  }
  return { seq: present, hash: (await hashAt(present)) ?? GENESIS_HASH };
}

/**
 * Records today's end of the chain as an anchor keyed by the UTC day (models/audit-event.ts);
 * the insert is the guard, so one run per day stores it. Returns the end it anchored, or null
 * when the day already had its anchor.
 */
export async function anchorAuditChain(models: Models, day: string, now: Date): Promise<ChainEnd | null> {
  const end = await auditChainEnd(models);
  try {
    await models.AuditAnchor.create({ _id: day, seq: end.seq, hash: end.hash, at: now });
    return end;
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/**
 * Append-only, hash-chained audit log.
 *
 * The sequence number is the `_id`, so the insert itself decides who owns each slot:
 * two writers (even in two app instances) racing for seq N get one success and one
 * duplicate-key error, and the loser moves on to N+1 with the winner's hash.
 * Appends from this process are queued and written in order; events that arrive while an insert
 * is in flight go together in the next one (one round trip for many events under load).
 * Every read is by `_id` (indexed); nothing sorts or scans the log, however long it grows.
 */
export function createAuditLog(models: Models): AuditLog {
  let tail: ChainEnd | null = null;
  let waiting: Pending[] = [];
  let flushing = false;

  const hashAt = (seq: number) => storedHash(models, seq);

  /** The end this process appended last, or the stored end (only a process's first append searches). */
  async function latestKnown(): Promise<ChainEnd> {
    return tail ?? auditChainEnd(models);
  }

  /** Steps past events other writers appended after `end`. */
  async function walkForward(end: ChainEnd): Promise<ChainEnd> {
    let { seq, hash } = end;
    for (let next = await hashAt(seq + 1); next !== null; next = await hashAt(seq + 1)) {
      seq += 1;
      hash = next;
    }
    return { seq, hash };
  }

  /** Chains the events onto `end` and inserts them in order; resolves each one that is stored. */
  async function writeBatch(batch: Pending[]): Promise<void> {
    let pending = batch;
    while (pending.length > 0) {
      let { seq, hash } = await latestKnown();
      const docs = pending.map(({ input, at }) => {
        const doc = chainedEvent({ seq, hash }, input, at);
        seq = doc.seq;
        hash = doc.hash;
        return doc;
      });
      let stored = docs.length;
      try {
        await models.AuditEvent.insertMany(docs, { ordered: true, lean: true });
      } catch (err) {
        const inserted = insertedBeforeDuplicate(err);
        if (inserted === null) throw err;
        stored = inserted;
      }
      docs.slice(0, stored).forEach((d, i) => {
        pending[i]!.resolve(d.seq);
      });
      const last = docs[stored - 1];
      tail = last ? { seq: last.seq, hash: last.hash } : tail;
      if (stored === docs.length) return;
      // Another writer took the next slot: continue after whatever it (and others) appended.
      tail = await walkForward(await latestKnown());
      pending = pending.slice(stored);
    }
  }

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, MAX_BATCH);
        waiting = waiting.slice(MAX_BATCH);
        try {
          await writeBatch(batch);
        } catch (err) {
          tail = null;
          // A promise settles once: events already stored keep their number, the rest are refused.
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    append(input, at) {
      return new Promise<number>((resolve, reject) => {
        waiting.push({ input, at, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
