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
  /**
   * sha256(salt ‖ canonicalJson(personal)) of the event's personal part (domain/audit-personal.ts),
   * absent on events without one and on events written before commitments: `canonicalJson` leaves an
   * absent field out, so their hashes are what they always were.
   */
  personalDigest?: string;
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

/**
 * The commitment to an event's personal part. The random per-event salt makes the digest useless for
 * guessing (an IP address has few enough values to try them all otherwise); deleting the personal
 * part and the salt leaves a digest that proves nothing about the person and still links the chain.
 */
export function personalDigest(salt: string, personal: Record<string, unknown>): string {
  return createHash('sha256').update(salt).update(canonicalJson(personal)).digest('hex');
}

/** Each event's hash covers its own fields and the previous event's hash: editing, deleting or reordering breaks the chain. */
export function auditHash(prevHash: string, fields: AuditFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/** A stored event: its hashed fields, its links, and its personal part and salt until they are erased. */
export type ChainedEvent = AuditFields & {
  prevHash: string;
  hash: string;
  personal?: Record<string, unknown> | null;
  salt?: string | null;
};

/** Whether a personal part still held matches the digest the hash covers (an erased one has nothing to check). */
function personalMatches(e: ChainedEvent): boolean {
  if (e.personal == null) return true;
  return typeof e.salt === 'string' && e.personalDigest === personalDigest(e.salt, e.personal);
}

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
        const { prevHash: _p, hash: _h, personal: _pd, salt: _s, ...fields } = e;
        if (auditHash(prev, fields) !== e.hash)
          broken = { seq: e.seq, reason: 'content does not match its hash' };
        else if (!personalMatches(e))
          broken = { seq: e.seq, reason: 'personal data does not match its commitment' };
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
