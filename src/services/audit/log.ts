import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from '../../db/connection.js';
import { auditEventId } from '../../db/keys.js';
import type { AuditAnchorDoc } from '../../db/models/audit-event.js';
import type { Models } from '../../db/models/index.js';
import { type AnchorSigner, anchorHour, anchorSigner, parseSigningKey } from '../../domain/audit-anchor.js';
import { type AuditFields, auditHash, GENESIS_HASH, personalDigest } from '../../domain/audit-chain.js';
import { splitPersonal } from '../../domain/audit-personal.js';

export interface AuditInput {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
  /**
   * Personal data to keep outside the hash (committed to by a salted digest). Detail keys in the
   * inventory (domain/audit-personal.ts: ip, e-mail, names, …) are moved here on their own.
   */
  personal?: Record<string, unknown>;
}

export interface AuditLog {
  append(event: AuditInput, at: Date): Promise<number>;
  /**
   * The signed anchor of `now`'s UTC hour, written if no job wrote it yet (anchorAuditChain).
   * Null for a log built without a signing key (tests and benches of the append path only: the
   * app and the CLI always have a key, see config.ts).
   */
  anchor(now: Date): Promise<HourAnchor | null>;
  /** keyIdOf the signing key, or null without one. */
  readonly keyId: string | null;
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
  const { details, personal } = splitPersonal(input.action, input.details ?? {}, input.personal);
  const salt = personal ? randomBytes(16).toString('hex') : undefined;
  const fields: AuditFields = {
    seq: end.seq + 1,
    at,
    actorId: input.actorId,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    subjectId: input.subjectId ?? null,
    details,
    ...(personal && salt ? { personalDigest: personalDigest(salt, personal) } : {}),
  };
  const { seq, ...rest } = fields;
  return {
    _id: auditEventId(seq),
    seq,
    ...rest,
    ...(personal ? { personal, salt } : {}),
    prevHash: end.hash,
    hash: auditHash(end.hash, fields),
  };
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

/** Steps past the events other writers appended after `end`. */
async function walkForward(models: Models, end: ChainEnd): Promise<ChainEnd> {
  let { seq, hash } = end;
  let next = await storedHash(models, seq + 1);
  while (next !== null) {
    seq += 1;
    hash = next;
    next = await storedHash(models, seq + 1);
  }
  return { seq, hash };
}

/** The signer for the configured AUDIT_SIGNING_KEY (a PEM after config.ts resolved it), if any. */
export function signerFromKey(pem: string | undefined): AnchorSigner | null {
  return pem ? anchorSigner(parseSigningKey(pem)) : null;
}

/** An hour's anchor: the end of the chain it signed, and whether this call wrote it. */
export interface HourAnchor {
  hour: string;
  seq: number;
  hash: string;
  keyId: string;
  created: boolean;
}

/**
 * Signs the end of the chain as the anchor of `now`'s UTC hour, once per hour: the sweep (every
 * 15 minutes) and the nightly job both call it and whichever runs first in the hour writes it.
 * The insert of the hour's `_id` is the guard, so two instances never write two. A later call in
 * the same hour costs one read by `_id` and returns the stored anchor. Anchors are written every
 * hour, with or without new events: an hour without one shows that no job ran, or that the anchor
 * was deleted (audit:verify lists them).
 */
export async function anchorAuditChain(models: Models, signer: AnchorSigner, now: Date): Promise<HourAnchor> {
  const hour = anchorHour(now);
  const stored = async (): Promise<HourAnchor | null> => {
    const doc = await models.AuditAnchor.findById(hour).lean<AuditAnchorDoc>();
    return doc && { hour, seq: doc.seq, hash: doc.hash, keyId: doc.keyId ?? '', created: false };
  };
  const existing = await stored();
  if (existing) return existing;
  const end = await auditChainEnd(models);
  const fields = { id: hour, seq: end.seq, hash: end.hash, at: now, keyId: signer.keyId };
  try {
    await models.AuditAnchor.create({
      _id: hour,
      seq: end.seq,
      hash: end.hash,
      at: now,
      keyId: signer.keyId,
      signature: signer.sign(fields),
    });
    return { hour, ...end, keyId: signer.keyId, created: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await stored();
    if (!winner) throw err;
    return winner;
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
export function createAuditLog(models: Models, signer: AnchorSigner | null = null): AuditLog {
  let tail: ChainEnd | null = null;
  let waiting: Pending[] = [];
  let flushing = false;

  /** The end this process appended last, or the stored end (only a process's first append searches). */
  async function latestKnown(): Promise<ChainEnd> {
    return tail ?? auditChainEnd(models);
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
      tail = await walkForward(models, await latestKnown());
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
    keyId: signer?.keyId ?? null,
    anchor: (now) => (signer ? anchorAuditChain(models, signer, now) : Promise.resolve(null)),
    append(input, at) {
      return new Promise<number>((resolve, reject) => {
        waiting.push({ input, at, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
