import { describe, expect, it } from 'vitest';
import {
  type AuditFields,
  auditHash,
  type ChainedEvent,
  chainChecker,
  findChainBreak,
  GENESIS_HASH,
} from '../../../src/domain/audit-chain.js';

function chain(count: number): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const fields: AuditFields = {
      seq,
      at: new Date(Date.UTC(2026, 2, 2, 9, seq)),
      actorId: 'u1',
      action: 'lesson.viewed',
      targetType: 'cycle',
      targetId: 'u1:c:1',
      subjectId: 'u1',
      details: { lessonId: `l${seq}`, b: 1, a: [1, { z: 2, y: null }] },
    };
    const hash = auditHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit chain checks', () => {
  it('accept an intact chain and count it', () => {
    const events = chain(5);
    expect(findChainBreak(events)).toBeNull();
    const checker = chainChecker();
    for (const e of events) expect(checker.check(e)).toBeNull();
    expect(checker.verified).toBe(5);
  });

  it('do not depend on the key order of details', () => {
    const events = chain(2);
    events[0] = { ...events[0]!, details: { a: [1, { y: null, z: 2 }], b: 1, lessonId: 'l1' } };
    expect(findChainBreak(events)).toBeNull();
  });

  it('find an edited event', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, actorId: 'mallory' };
    expect(findChainBreak(events)).toEqual({ seq: 3, reason: 'content does not match its hash' });
  });

  it('find a deleted event', () => {
    const events = chain(5).filter((e) => e.seq !== 2);
    expect(findChainBreak(events)?.seq).toBe(2);
  });

  it('find two events in the wrong order', () => {
    const events = chain(5);
    const swapped = [
      events[0]!,
      { ...events[2]!, seq: 2 },
      { ...events[1]!, seq: 3 },
      events[3]!,
      events[4]!,
    ];
    expect(findChainBreak(swapped)).toEqual({ seq: 2, reason: 'does not link to the previous event' });
  });

  it('keep reporting the first break once found', () => {
    const events = chain(3);
    const checker = chainChecker();
    checker.check(events[0]!);
    const first = checker.check({ ...events[1]!, hash: 'f'.repeat(64) });
    expect(checker.check(events[2]!)).toBe(first);
    expect(checker.verified).toBe(1);
  });
});
