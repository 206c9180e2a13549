import type { mongo } from 'mongoose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command as auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import type { CliContext } from '../../src/cli/types.js';
import { auditEventId } from '../../src/db/keys.js';
import { anchorSigner, parseSigningKey } from '../../src/domain/audit-anchor.js';
import { auditHash } from '../../src/domain/audit-chain.js';
import { anchorAuditChain } from '../../src/services/audit/log.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { newAuditKeyPair } from '../helpers/audit-key.js';

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
const events = () => t.app.db.models.AuditEvent.collection as unknown as mongo.Collection<Raw>;
type Raw = Record<string, unknown> & { _id: string };
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

async function cli(config = t.config): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const ctx = {
    db: t.app.db,
    services: t.app.services,
    config,
    clock: t.clock,
    out: (l: string) => lines.push(l),
  } as unknown as CliContext;
  const code = await auditVerifyCommand.run(ctx, { positionals: [], flags: {} });
  return { code, lines };
}

/** What a careful forger does: changes event `seq`'s actor and recomputes that event's own hash. */
async function forgeActor(seq: number): Promise<void> {
  const e = originals[seq - 1]!;
  const fields = {
    seq,
    at: e.at as Date,
    actorId: 'someone-else',
    action: e.action as string,
    targetType: e.targetType as string,
    targetId: e.targetId as string,
    subjectId: e.subjectId as string,
    details: e.details as Record<string, unknown>,
  };
  await events().updateOne(
    { _id: auditEventId(seq) },
    { $set: { actorId: 'someone-else', hash: auditHash(e.prevHash as string, fields) } },
  );
}

describe('audit:verify', () => {
  it('reports an intact chain with its length and exit code 0', async () => {
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({
      ok: true,
      count: TOTAL,
      anchors: { signed: 0, unsigned: 0 },
    });
    const { code, lines } = await cli();
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain(
      `OK: audit chain intact (${TOTAL} events, checked against 0 signed anchors (no key), 0 unsigned from before signing)`,
    );
  });

  it('detects an edited event at that event', async () => {
    await events().updateOne({ _id: auditEventId(3) }, { $set: { 'details.n': 99 } });
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
    await forgeActor(3);
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({
      ok: false,
      brokenAt: { seq: 4, reason: 'does not link to the previous event' },
    });
  });

  it('detects a deleted event as missing', async () => {
    await events().deleteOne({ _id: auditEventId(4) });
    const report = await verifyAuditChain(t.app.db.models);
    expect(report).toMatchObject({ ok: false, count: 3, brokenAt: { seq: 4 } });
    expect(report.brokenAt?.reason).toMatch(/event 4 is missing/);
    expect((await cli()).code).toBe(1);
  });

  it('detects a deleted first event', async () => {
    await events().deleteOne({ _id: auditEventId(1) });
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({
      ok: false,
      count: 0,
      brokenAt: { seq: 1 },
    });
  });

  it('detects two events swapped in order', async () => {
    const [e2, e3] = [originals[1]!, originals[2]!];
    // Contents move; each slot keeps its `_id` and sequence number.
    const body = ({ _id: _ignored, seq: _seq, ...rest }: Raw) => rest;
    await events().replaceOne({ _id: auditEventId(2) }, { seq: 2, ...body(e3) });
    await events().replaceOne({ _id: auditEventId(3) }, { seq: 3, ...body(e2) });
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({
      ok: false,
      count: 1,
      brokenAt: { seq: 2, reason: 'does not link to the previous event' },
    });
  });

  describe('signed hourly anchors', () => {
    const anchors = () => t.app.db.models.AuditAnchor;
    const key = newAuditKeyPair();
    const signer = anchorSigner(parseSigningKey(key.privatePem));
    const publicKey = parseSigningKey(key.privatePem);
    const at = new Date('2026-05-01T02:30:00Z');
    afterEach(async () => {
      await anchors().deleteMany({});
    });

    it('anchors the end of the chain once per hour, and the chain checks out against it', async () => {
      const end = await anchorAuditChain(t.app.db.models, signer, at);
      expect(end).toEqual({
        hour: '2026-05-01T02',
        seq: TOTAL,
        hash: originals[TOTAL - 1]!.hash,
        keyId: signer.keyId,
        created: true,
      });
      expect(await anchorAuditChain(t.app.db.models, signer, new Date('2026-05-01T02:59:00Z'))).toMatchObject(
        {
          seq: TOTAL,
          created: false,
        },
      );
      expect(await anchors().countDocuments({})).toBe(1);
      expect(await verifyAuditChain(t.app.db.models, { publicKey })).toMatchObject({
        ok: true,
        count: TOTAL,
        anchors: { signed: 1, unsigned: 0 },
      });
    });

    it('detects events removed from the end of the log, which the chain alone cannot', async () => {
      await anchorAuditChain(t.app.db.models, signer, at);
      await events().deleteMany({ _id: { $in: [auditEventId(TOTAL - 1), auditEventId(TOTAL)] } });
      const report = await verifyAuditChain(t.app.db.models, { publicKey });
      expect(report).toMatchObject({ ok: false, count: TOTAL - 2, brokenAt: { seq: TOTAL - 1 } });
      expect(report.brokenAt?.reason).toBe(
        `the log ends at event ${TOTAL - 2}, but at 2026-05-01T02 it reached event ${TOTAL}: events were removed from its end`,
      );
      const { code, lines } = await cli({ ...t.config, AUDIT_SIGNING_KEY: key.privatePem });
      expect(code).toBe(1);
      expect(lines[0]).toBe(`BROKEN at event ${TOTAL - 1}: ${report.brokenAt?.reason}`);
      expect(lines[1]).toBe(
        `${TOTAL - 2} events before it verified intact (1 signed anchor (key ${signer.keyId}), 0 unsigned from before signing).`,
      );
    });

    it('detects the last event rewritten with a recomputed hash', async () => {
      await anchorAuditChain(t.app.db.models, signer, at);
      // The forger rewrites the last event and its hash: no later event points at the old hash.
      await forgeActor(TOTAL);
      expect(await verifyAuditChain(t.app.db.models, { publicKey })).toMatchObject({
        ok: false,
        count: TOTAL - 1,
        brokenAt: { seq: TOTAL, reason: 'differs from the event anchored at 2026-05-01T02' },
      });
    });
  });

  it('is intact again once the original events are back (the checks are not stuck)', async () => {
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({ ok: true, count: TOTAL });
  });
});

describe('appending after a restart', () => {
  it('finds the end of the log by _id lookups alone and continues the chain', async () => {
    const { createAuditLog } = await import('../../src/services/audit/log.js');
    // Grow the log to an awkward length (not a power of two) through a fresh writer each time.
    for (let i = TOTAL + 1; i <= 37; i += 1) {
      await createAuditLog(t.app.db.models).append(
        { actorId: null, action: 'bench.append', targetType: 't', targetId: String(i) },
        t.clock.now(),
      );
    }
    // Mongoose's debug hook sees every collection call with its arguments.
    const calls: Array<{ method: string; filter: Record<string, unknown> }> = [];
    t.app.db.conn.set('debug', (collection: string, method: string, filter: Record<string, unknown>) => {
      if (collection === 'audit_events') calls.push({ method, filter });
    });
    const restarted = createAuditLog(t.app.db.models);
    const seq = await restarted
      .append({ actorId: null, action: 'after.restart', targetType: 't', targetId: 'x' }, t.clock.now())
      .finally(() => t.app.db.conn.set('debug', false));
    expect(seq).toBe(38);
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({ ok: true, count: 38 });
    // Every read was a find by `_id` (no sort, no scan), about 2·log2(38) of them, plus one insert.
    const finds = calls.filter((c) => c.method === 'findOne');
    expect(finds.every((c) => typeof c.filter._id === 'string' && Object.keys(c.filter).length === 1)).toBe(
      true,
    );
    expect(finds.length).toBeGreaterThan(0);
    expect(finds.length).toBeLessThanOrEqual(14);
    expect(calls.filter((c) => c.method === 'insertMany')).toHaveLength(1);
    expect(calls).toHaveLength(finds.length + 1);
  });

  it('two writers with stale ends both append, and the chain stays intact', async () => {
    const { createAuditLog } = await import('../../src/services/audit/log.js');
    const a = createAuditLog(t.app.db.models);
    const b = createAuditLog(t.app.db.models);
    const event = (w: string) => ({ actorId: null, action: `writer.${w}`, targetType: 't', targetId: w });
    await a.append(event('a'), t.clock.now());
    await b.append(event('b'), t.clock.now()); // b's end is now newer than a's
    const seqs = await Promise.all([
      a.append(event('a'), t.clock.now()),
      b.append(event('b'), t.clock.now()),
      a.append(event('a'), t.clock.now()),
    ]);
    expect(new Set(seqs).size).toBe(3);
    const report = await verifyAuditChain(t.app.db.models);
    expect(report.ok).toBe(true);
  });

  it('writes events that arrive together in one insert, in order, each with its own number', async () => {
    const { createAuditLog } = await import('../../src/services/audit/log.js');
    const log = createAuditLog(t.app.db.models);
    const before = (await verifyAuditChain(t.app.db.models)).count;
    const inserts: number[] = [];
    t.app.db.conn.set('debug', (collection: string, method: string, docs: unknown) => {
      if (collection === 'audit_events' && method === 'insertMany') inserts.push((docs as unknown[]).length);
    });
    const event = (i: number) => ({ actorId: null, action: 'burst', targetType: 't', targetId: String(i) });
    const seqs = await Promise.all(Array.from({ length: 30 }, (_, i) => log.append(event(i), t.clock.now())));
    t.app.db.conn.set('debug', false);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => before + 1 + i));
    // The first event goes alone; the 29 queued behind it share one insert.
    expect(inserts).toEqual([1, 29]);
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({ ok: true, count: before + 30 });
    const stored = await events()
      .find({ seq: { $gt: before } })
      .toArray();
    expect(stored.map((e) => e.targetId).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 30 }, (_, i) => String(i)),
    );
  });

  it('keeps the events stored before a slot another writer took, and places the rest after it', async () => {
    const { createAuditLog } = await import('../../src/services/audit/log.js');
    const log = createAuditLog(t.app.db.models);
    const event = (w: string) => ({ actorId: null, action: `writer.${w}`, targetType: 't', targetId: w });
    const end = await log.append(event('first'), t.clock.now());
    // Someone else takes the slot two ahead of this writer's end (no chain check here: slots only).
    await events().insertOne({ _id: auditEventId(end + 2), seq: end + 2, hash: 'foreign' } as never);
    const seqs = await Promise.all(['a', 'b', 'c'].map((w) => log.append(event(w), t.clock.now())));
    // 'a' went into end+1; 'b' met the taken slot and moved on with 'c' behind it.
    expect(seqs).toEqual([end + 1, end + 3, end + 4]);
    const byTarget = Object.fromEntries(
      (
        await events()
          .find({ seq: { $gt: end } })
          .toArray()
      ).map((e) => [e.targetId ?? 'foreign', e.seq]),
    );
    expect(byTarget).toEqual({ a: end + 1, foreign: end + 2, b: end + 3, c: end + 4 });
    await events().deleteMany({ seq: { $gt: end } });
  });
});
