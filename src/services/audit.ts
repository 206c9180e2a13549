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

/**
 * Append-only, hash-chained audit log.
 *
 * The sequence number is the `_id`, so the insert itself decides who owns each slot:
 * two writers (even in two app instances) racing for seq N get one success and one
 * duplicate-key error, and the loser moves on to N+1 with the winner's hash.
 * Appends from this process are queued, which keeps that contention rare.
 * Every read is by `_id` (indexed); nothing sorts or scans the log, however long it grows.
 */
export function createAuditLog(models: Models): AuditLog {
  let tail: { seq: number; hash: string } | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const hashAt = async (seq: number): Promise<string | null> =>
    (await models.AuditEvent.findById(auditEventId(seq), { hash: 1 }).lean())?.hash ?? null;

  /**
   * The last event, found with about 2·log2(n) indexed lookups (sequence numbers are contiguous):
   * double a bound until it is past the end, then bisect. A sort on `_id` would make FerretDB sort
   * the whole log in memory. Only the first append of a process pays this; then `tail` is kept.
   */
  async function latestKnown(): Promise<{ seq: number; hash: string }> {
    if (tail) return tail;
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

  async function appendNow(input: AuditInput, at: Date): Promise<number> {
    let { seq, hash } = await latestKnown();
    for (;;) {
      const fields: AuditFields = {
        seq: seq + 1,
        at,
        actorId: input.actorId,
        action: input.action,
        targetType: input.targetType,
        targetId: input.targetId,
        subjectId: input.subjectId ?? null,
        details: input.details ?? {},
      };
      const { seq: id, ...rest } = fields;
      const eventHash = auditHash(hash, fields);
      try {
        await models.AuditEvent.create({
          _id: auditEventId(id),
          seq: id,
          ...rest,
          prevHash: hash,
          hash: eventHash,
        });
        tail = { seq: id, hash: eventHash };
        return id;
      } catch (err) {
        if (!isDuplicateKey(err)) {
          tail = null;
          throw err;
        }
        // Another writer took this slot: step past it with its hash and try the next one.
        const taken = await hashAt(id);
        if (taken !== null) {
          seq = id;
          hash = taken;
        }
      }
    }
  }

  return {
    append(event, at) {
      const result = queue.then(() => appendNow(event, at));
      queue = result.catch(() => {});
      return result;
    },
  };
}
