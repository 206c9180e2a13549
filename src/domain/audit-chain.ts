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

export type ChainedEvent = AuditFields & { prevHash: string; hash: string };

/**
 * Checks events one at a time, in sequence order, so a caller can stream a long log through it
 * without holding it in memory. `check` returns the first broken link (and keeps returning it),
 * or null while the chain is intact so far; a gap, a wrong prevHash or a wrong hash is a break.
 */
export function chainChecker(start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
  let expectedSeq = start.seq + 1;
  let prev = start.hash;
  let broken: ChainBreak | null = null;
  return {
    check(e: ChainedEvent): ChainBreak | null {
      if (broken) return broken;
      if (e.seq !== expectedSeq) {
        broken = {
          seq: expectedSeq,
          reason: `event ${expectedSeq} is missing or out of order (found ${e.seq})`,
        };
      } else if (e.prevHash !== prev) {
        broken = { seq: e.seq, reason: 'does not link to the previous event' };
      } else {
        const { prevHash: _p, hash: _h, ...fields } = e;
        if (auditHash(prev, fields) !== e.hash)
          broken = { seq: e.seq, reason: 'content does not match its hash' };
      }
      if (!broken) {
        prev = e.hash;
        expectedSeq += 1;
      }
      return broken;
    },
    /** How many events were verified intact. */
    get verified(): number {
      return expectedSeq - 1 - start.seq;
    },
  };
}

/** Checks a whole (sorted) list of events; returns the first broken link, or null when intact. */
export function findChainBreak(
  events: Iterable<ChainedEvent>,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainBreak | null {
  const checker = chainChecker(start);
  for (const e of events) {
    const broken = checker.check(e);
    if (broken) return broken;
  }
  return null;
}
