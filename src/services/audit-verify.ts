import type { AuditAnchorDoc, AuditEventDoc } from '../db/models/audit-event.js';
import type { Models } from '../db/models/index.js';
import { type ChainBreak, type ChainedEvent, chainChecker } from '../domain/audit-chain.js';

/** `count`: events verified intact (all of them when ok); `anchors`: daily anchors the chain was checked against. */
export type ChainReport =
  | { ok: true; count: number; anchors: number }
  | { ok: false; count: number; anchors: number; brokenAt: ChainBreak };

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
 *
 * Then the daily anchors (one small document per day): the chain must still hold every anchored
 * event with the hash it had that day. Without them, events removed from the end of the log would
 * leave a shorter chain that is intact. Events after the latest anchor have no such check yet.
 */
export async function verifyAuditChain(models: Models): Promise<ChainReport> {
  const anchors = await models.AuditAnchor.find({}).lean<AuditAnchorDoc[]>();
  const anchoredAt = new Map<number, AuditAnchorDoc>(anchors.map((a) => [a.seq, a]));
  const checker = chainChecker();
  const cursor = models.AuditEvent.find({}).sort({ _id: 1 }).lean<AuditEventDoc[]>().cursor();
  const broken = (brokenAt: ChainBreak, count = checker.verified): ChainReport => ({
    ok: false,
    count,
    anchors: anchors.length,
    brokenAt,
  });
  try {
    for await (const doc of cursor) {
      const event = doc as AuditEventDoc;
      const link = checker.check(toChainedEvent(event));
      if (link) return broken(link);
      const anchor = anchoredAt.get(event.seq);
      if (anchor && anchor.hash !== event.hash)
        return broken(
          { seq: event.seq, reason: `differs from the event anchored on ${anchor._id}` },
          event.seq - 1,
        );
    }
  } finally {
    await cursor.close();
  }
  const beyond = anchors.filter((a) => a.seq > checker.verified).sort((a, b) => b.seq - a.seq)[0];
  if (beyond) {
    return broken({
      seq: checker.verified + 1,
      reason: `the log ends at event ${checker.verified}, but on ${beyond._id} it reached event ${beyond.seq}: events were removed from its end`,
    });
  }
  return { ok: true, count: checker.verified, anchors: anchors.length };
}
