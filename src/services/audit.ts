import { isDuplicateKey } from '../db/connection.js';
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
 */
export function createAuditLog(models: Models): AuditLog {
  let tail: { seq: number; hash: string } | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function latestKnown(): Promise<{ seq: number; hash: string }> {
    if (tail) return tail;
    const last = await models.AuditEvent.findOne({}, { _id: 1, hash: 1 }).sort({ _id: -1 }).lean();
    return last ? { seq: last._id, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  async function appendNow(input: AuditInput, at: Date): Promise<number> {
    let { seq, hash } = await latestKnown();
    for (;;) {
      // Walk forward past events that other writers appended since we last looked.
      const next = await models.AuditEvent.findById(seq + 1, { hash: 1 }).lean();
      if (next) {
        seq += 1;
        hash = next.hash;
        continue;
      }
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
        await models.AuditEvent.create({ _id: id, ...rest, prevHash: hash, hash: eventHash });
        tail = { seq: id, hash: eventHash };
        return id;
      } catch (err) {
        if (!isDuplicateKey(err)) {
          tail = null;
          throw err;
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
