import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AuditFields,
  auditHash,
  type ChainedEvent,
  canonicalJson,
  findChainBreak,
  GENESIS_HASH,
  personalDigest,
} from '../../../src/domain/audit-chain.js';
import { PERSONAL_DETAIL_KEYS, splitPersonal } from '../../../src/domain/audit-personal.js';

const at = new Date('2026-03-02T09:00:00Z');

/** An event chained after `prev` with its personal part committed to by salt and digest. */
function committed(prev: string, seq: number, personal: Record<string, unknown>, salt: string): ChainedEvent {
  const fields: AuditFields = {
    seq,
    at,
    actorId: 'u1',
    action: 'login.success',
    targetType: 'user',
    targetId: 'u1',
    subjectId: 'u1',
    details: {},
    personalDigest: personalDigest(salt, personal),
  };
  return { ...fields, prevHash: prev, hash: auditHash(prev, fields), personal, salt };
}

function legacy(prev: string, seq: number): ChainedEvent {
  const fields: AuditFields = {
    seq,
    at,
    actorId: 'u1',
    action: 'lesson.viewed',
    targetType: 'cycle',
    targetId: 'u1:c:1',
    subjectId: 'u1',
    details: { lessonId: 'l1' },
  };
  return { ...fields, prevHash: prev, hash: auditHash(prev, fields) };
}

describe('personal data commitment', () => {
  it('is sha256(salt ‖ canonicalJson(personal))', () => {
    const personal = { ip: '203.0.113.9', email: 'a@b.test' };
    const expected = createHash('sha256').update('ab12').update(canonicalJson(personal)).digest('hex');
    expect(personalDigest('ab12', personal)).toBe(expected);
  });

  it('splits the inventory of personal detail keys out of an event, per action', () => {
    expect(splitPersonal('login.success', { ip: '203.0.113.9', protocol: 'oidc' })).toEqual({
      details: { protocol: 'oidc' },
      personal: { ip: '203.0.113.9' },
    });
    // A reason is HR's free text about one person where it concerns a person, a code elsewhere.
    expect(splitPersonal('assignment.extended', { reason: 'on leave', courseId: 'c' }).personal).toEqual({
      reason: 'on leave',
    });
    expect(splitPersonal('login.failure', { reason: 'password_sign_in_off' }).personal).toBeNull();
    expect(splitPersonal('lesson.viewed', { lessonId: 'l1' })).toEqual({
      details: { lessonId: 'l1' },
      personal: null,
    });
    expect(PERSONAL_DETAIL_KEYS).toEqual(
      expect.arrayContaining(['ip', 'userAgent', 'email', 'name', 'typedName']),
    );
  });

  it('keeps the chain verifying after the personal part and its salt are deleted', () => {
    const e1 = committed(GENESIS_HASH, 1, { ip: '203.0.113.9' }, 'aa');
    const e2 = legacy(e1.hash, 2);
    const e3 = committed(e2.hash, 3, { ip: '198.51.100.4', email: 'x@y.test' }, 'bb');
    expect(findChainBreak([e1, e2, e3])).toBeNull();
    const { personal: _p, salt: _s, ...erased } = e1;
    expect(findChainBreak([erased, e2, e3])).toBeNull();
  });

  it('catches an edited personal value while it is still held', () => {
    const e1 = committed(GENESIS_HASH, 1, { ip: '203.0.113.9' }, 'aa');
    expect(findChainBreak([{ ...e1, personal: { ip: '10.0.0.1' } }])).toEqual({
      seq: 1,
      reason: 'personal data does not match its commitment',
    });
  });

  it('catches an edited digest, and personal data without one', () => {
    const e1 = committed(GENESIS_HASH, 1, { ip: '203.0.113.9' }, 'aa');
    expect(findChainBreak([{ ...e1, personalDigest: '0'.repeat(64) }])?.seq).toBe(1);
    const e2 = legacy(GENESIS_HASH, 1);
    expect(findChainBreak([{ ...e2, personal: { ip: '1.2.3.4' }, salt: 'aa' }])).toEqual({
      seq: 1,
      reason: 'personal data does not match its commitment',
    });
  });

  it('hashes an event written before commitments exactly as before', () => {
    const e = legacy(GENESIS_HASH, 1);
    const { prevHash: _p, hash: _h, ...fields } = e;
    expect(auditHash(GENESIS_HASH, { ...fields, personalDigest: undefined })).toBe(e.hash);
  });
});
