import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command as auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import type { CliContext } from '../../src/cli/types.js';
import { verifyAuditChain } from '../../src/services/audit-verify.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const TOTAL = 6;

beforeAll(async () => {
  t = await createTestApp({ label: 'records-audit', seed: false });
  for (let i = 1; i <= TOTAL; i += 1) {
    t.clock.advanceMinutes(1);
    await t.app.audit.append(
      {
        actorId: `user-${i}`,
        action: i % 2 ? 'lesson.viewed' : 'attested',
        targetType: 'cycle',
        targetId: `u:c:${i}`,
        subjectId: `user-${i}`,
        details: { n: i, at: t.clock.now(), nested: { list: [1, 'two', null] } },
      },
      t.clock.now(),
    );
  }
});
afterAll(async () => t.close());

// Raw driver access: exactly what someone tampering with the database would do.
const events = () => t.app.db.models.AuditEvent.collection;
type Raw = Record<string, unknown> & { _id: number };
let originals: Raw[];

beforeEach(async () => {
  // Restore the pristine log before each tamper, so every test starts from an intact chain.
  if (originals) {
    await events().deleteMany({});
    await events().insertMany(originals as never[]);
  } else {
    originals = (await events().find({}).sort({ _id: 1 }).toArray()) as unknown as Raw[];
  }
});

async function cli(): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const ctx = { db: t.app.db, out: (l: string) => lines.push(l) } as unknown as CliContext;
  const code = await auditVerifyCommand.run(ctx, { positionals: [], flags: {} });
  return { code, lines };
}

describe('audit:verify', () => {
  it('reports an intact chain with its length and exit code 0', async () => {
    expect(await verifyAuditChain(t.app.db.models)).toEqual({ ok: true, count: TOTAL });
    const { code, lines } = await cli();
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain(`OK: audit chain intact (${TOTAL} events)`);
  });

  it('detects an edited event at that event', async () => {
    await events().updateOne({ _id: 3 } as never, { $set: { 'details.n': 99 } });
    const report = await verifyAuditChain(t.app.db.models);
    expect(report).toMatchObject({
      ok: false,
      count: 2,
      brokenAt: { seq: 3, reason: 'content does not match its hash' },
    });
    const { code, lines } = await cli();
    expect(code).toBe(1);
    expect(lines[0]).toBe('BROKEN at event 3: content does not match its hash');
  });

  it('detects an edit whose own hash was recomputed, at the next event', async () => {
    // A careful forger rewrites event 3 and its hash; event 4 still points at the old hash.
    const { auditHash } = await import('../../src/domain/audit-chain.js');
    const e3 = originals[2]!;
    const forged = {
      seq: 3,
      at: e3.at as Date,
      actorId: 'someone-else',
      action: e3.action as string,
      targetType: e3.targetType as string,
      targetId: e3.targetId as string,
      subjectId: e3.subjectId as string,
      details: e3.details as Record<string, unknown>,
    };
    await events().updateOne({ _id: 3 } as never, {
      $set: { actorId: 'someone-else', hash: auditHash(e3.prevHash as string, forged) },
    });
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({
      ok: false,
      brokenAt: { seq: 4, reason: 'does not link to the previous event' },
    });
  });

  it('detects a deleted event as missing', async () => {
    await events().deleteOne({ _id: 4 } as never);
    const report = await verifyAuditChain(t.app.db.models);
    expect(report).toMatchObject({ ok: false, count: 3, brokenAt: { seq: 4 } });
    if (!report.ok) expect(report.brokenAt.reason).toMatch(/event 4 is missing/);
    expect((await cli()).code).toBe(1);
  });

  it('detects a deleted first event', async () => {
    await events().deleteOne({ _id: 1 } as never);
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({
      ok: false,
      count: 0,
      brokenAt: { seq: 1 },
    });
  });

  it('detects two events swapped in order', async () => {
    const [e2, e3] = [originals[1]!, originals[2]!];
    const body = ({ _id: _ignored, ...rest }: Raw) => rest;
    await events().replaceOne({ _id: 2 } as never, body(e3));
    await events().replaceOne({ _id: 3 } as never, body(e2));
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({
      ok: false,
      count: 1,
      brokenAt: { seq: 2, reason: 'does not link to the previous event' },
    });
  });

  it('is intact again once the original events are back (the checks are not stuck)', async () => {
    expect(await verifyAuditChain(t.app.db.models)).toEqual({ ok: true, count: TOTAL });
  });
});
