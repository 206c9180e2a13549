import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  subjectId: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth, so the hash does not depend on key order in storage. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Each event's hash covers its own fields and the previous event's hash: editing, deleting or reordering breaks the chain. */
export function auditHash(prevHash: string, fields: AuditFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Checks events in sequence order. Returns the first broken link, or null when intact.
 * `events` must be sorted by seq; a gap, a wrong prevHash or a wrong hash is a break.
 */
export function findChainBreak(
  events: Iterable<AuditFields & { prevHash: string; hash: string }>,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainBreak | null {
  let expectedSeq = start.seq + 1;
  let prev = start.hash;
  for (const e of events) {
    if (e.seq !== expectedSeq)
      return { seq: expectedSeq, reason: `event ${expectedSeq} is missing (found ${e.seq})` };
    if (e.prevHash !== prev) return { seq: e.seq, reason: 'does not link to the previous event' };
    const { prevHash: _p, hash: _h, ...fields } = e;
    if (auditHash(prev, fields) !== e.hash) return { seq: e.seq, reason: 'content does not match its hash' };
    prev = e.hash;
    expectedSeq += 1;
  }
  return null;
}
