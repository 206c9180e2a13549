import type { AuditEventDoc } from '../db/models/audit-event.js';
import type { Models } from '../db/models/index.js';
import { type ChainBreak, type ChainedEvent, chainChecker } from '../domain/audit-chain.js';

export type ChainReport = { ok: true; count: number } | { ok: false; count: number; brokenAt: ChainBreak };

export function toChainedEvent(doc: AuditEventDoc): ChainedEvent {
  return {
    seq: doc.seq,
    at: doc.at,
    actorId: doc.actorId,
    action: doc.action,
    targetType: doc.targetType,
    targetId: doc.targetId,
    subjectId: doc.subjectId,
    details: doc.details ?? {},
    prevHash: doc.prevHash,
    hash: doc.hash,
  };
}

/**
 * Walks the whole audit chain in sequence (`_id`) order with a cursor, so memory stays flat however
 * long the log is. Stops at the first broken link. Read-only: it never changes an event.
 * `count` is the number of events verified intact before the break (all of them when ok).
 */
export async function verifyAuditChain(models: Models): Promise<ChainReport> {
  const checker = chainChecker();
  const cursor = models.AuditEvent.find({}).sort({ _id: 1 }).lean<AuditEventDoc[]>().cursor();
  try {
    for await (const doc of cursor) {
      const broken = checker.check(toChainedEvent(doc as AuditEventDoc));
      if (broken) return { ok: false, count: checker.verified, brokenAt: broken };
    }
  } finally {
    await cursor.close();
  }
  return { ok: true, count: checker.verified };
}
