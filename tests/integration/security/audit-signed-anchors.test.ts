import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { mongo } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { command as auditVerify } from '../../../src/cli/commands/audit-verify.js';
import type { CliContext } from '../../../src/cli/types.js';
import type { Config } from '../../../src/config.js';
import { auditEventId } from '../../../src/db/keys.js';
import { anchorSigner, parseSigningKey } from '../../../src/domain/audit-anchor.js';
import { type AuditFields, auditHash, GENESIS_HASH } from '../../../src/domain/audit-chain.js';
import { outboxMailer } from '../../../src/mail/transport.js';
import { runNightly } from '../../../src/services/jobs/nightly.js';
import { runSweep } from '../../../src/services/jobs/sweep/index.js';
import { createTestApp, createUser, type TestApp } from '../../helpers/app.js';
import { newAuditKeyPair } from '../../helpers/audit-key.js';

// Finding #21.6: someone with database access edited an early event, recomputed every later hash
// and the stored anchors, and `audit:verify` passed. Anchors are now signed hourly with a key kept
// outside the database, and a digest e-mail's fingerprint pins the log even against the key holder.

const key = newAuditKeyPair();
let t: TestApp;
let twin: FastifyInstance;

const deps = (app: FastifyInstance) => ({
  models: app.db.models,
  courses: app.courses,
  catalogue: app.catalogue,
  mailer: outboxMailer(app.db.models),
  audit: app.audit,
  baseUrl: 'http://localhost:3000',
});

type Raw = Record<string, unknown> & { _id: string };
const events = () => t.app.db.models.AuditEvent.collection as unknown as mongo.Collection<Raw>;
const anchors = () => t.app.db.models.AuditAnchor.collection as unknown as mongo.Collection<Raw>;
let pristine: { events: Raw[]; anchors: Raw[] };

async function append(n: number, at: string) {
  t.clock.set(at);
  await t.app.audit.append(
    {
      actorId: `user-${n}`,
      action: 'lesson.viewed',
      targetType: 'cycle',
      targetId: `u:c:${n}`,
      subjectId: `user-${n}`,
    },
    t.clock.now(),
  );
}

/** `audit:verify` as an operator runs it, at `now`, with the app's configuration unless given one. */
async function verify(now: string, flags: Record<string, string> = {}, config: Partial<Config> = t.config) {
  const lines: string[] = [];
  const ctx = {
    db: t.app.db,
    services: t.app.services,
    config,
    clock: { now: () => new Date(now) },
    out: (l: string) => lines.push(l),
  } as unknown as CliContext;
  const code = await auditVerify.run(ctx, { positionals: [], flags });
  return { code, text: lines.join('\n') };
}

/**
 * What someone with database access does: edits event `from`, then recomputes the hash and link
 * of it and every later event, and sets every anchor to the new hash at its sequence number
 * (without the key, the signatures stay as they were). With `signer`, they also hold the key and
 * re-sign the anchors.
 */
async function rewriteFrom(from: number, signer?: ReturnType<typeof anchorSigner>) {
  const all = await events().find({}).sort({ _id: 1 }).toArray();
  const newHash = new Map<number, string>();
  let prev = GENESIS_HASH;
  for (const e of all) {
    const seq = e.seq as number;
    const fields: AuditFields = {
      seq,
      at: e.at as Date,
      actorId: seq === from ? 'someone-else' : (e.actorId as string | null),
      action: e.action as string,
      targetType: e.targetType as string,
      targetId: e.targetId as string,
      subjectId: e.subjectId as string | null,
      details: (e.details ?? {}) as Record<string, unknown>,
    };
    const hash = seq < from ? (e.hash as string) : auditHash(prev, fields);
    if (seq >= from)
      await events().updateOne({ _id: e._id }, { $set: { actorId: fields.actorId, prevHash: prev, hash } });
    newHash.set(seq, hash);
    prev = hash;
  }
  for (const a of await anchors().find({}).toArray()) {
    const hash = newHash.get(a.seq as number)!;
    const signature = signer?.sign({
      id: a._id,
      seq: a.seq as number,
      hash,
      at: a.at as Date,
      keyId: signer.keyId,
    });
    await anchors().updateOne({ _id: a._id }, { $set: { hash, ...(signature ? { signature } : {}) } });
  }
}

beforeAll(async () => {
  t = await createTestApp({
    label: 'audit-signed',
    seed: false,
    config: { AUDIT_SIGNING_KEY: key.privatePem },
  });
  twin = await buildApp({ config: t.config, mongoUri: inject('mongoUri'), clock: t.clock, logger: false });
  await twin.ready();
  // Monday 2 March 2026: three events in hour 09, two in hour 10, one in hour 11.
  await append(1, '2026-03-02T09:05:00Z');
  await append(2, '2026-03-02T09:20:00Z');
  await append(3, '2026-03-02T09:40:00Z');
}, 60_000);

afterAll(async () => {
  await twin.close();
  await t.close();
});

describe('hourly signed anchors', () => {
  it('two instances sweeping in the same hour write exactly one anchor; later sweeps in the hour none', async () => {
    const at = new Date('2026-03-02T10:00:00Z');
    const [a, b] = await Promise.all([runSweep(deps(t.app), { now: at }), runSweep(deps(twin), { now: at })]);
    expect([a.auditAnchor, b.auditAnchor].filter(Boolean)).toEqual(['2026-03-02T10']);
    await append(4, '2026-03-02T10:10:00Z');
    await append(5, '2026-03-02T10:40:00Z');
    expect((await runSweep(deps(twin), { now: new Date('2026-03-02T10:45:00Z') })).auditAnchor).toBeNull();
    expect((await runSweep(deps(t.app), { now: new Date('2026-03-02T11:00:00Z') })).auditAnchor).toBe(
      '2026-03-02T11',
    );
    await append(6, '2026-03-02T11:20:00Z');

    const stored = await anchors().find({}).sort({ _id: 1 }).toArray();
    expect(stored.map((s) => [s._id, s.seq])).toEqual([
      ['2026-03-02T10', 3],
      ['2026-03-02T11', 5],
    ]);
    for (const s of stored) {
      expect(s.keyId).toBe(t.app.audit.keyId);
      expect(typeof s.signature).toBe('string');
    }
    pristine = {
      events: await events().find({}).sort({ _id: 1 }).toArray(),
      anchors: stored,
    };
  });
});

describe('audit:verify against the signed anchors', () => {
  beforeEach(async () => {
    await events().deleteMany({});
    await events().insertMany(pristine.events as never[]);
    await anchors().deleteMany({});
    await anchors().insertMany(pristine.anchors as never[]);
  });

  it('passes an intact log, naming the key it checked with', async () => {
    const { code, text } = await verify('2026-03-02T11:30:00Z');
    expect(code, text).toBe(0);
    expect(text).toContain(
      `OK: audit chain intact (6 events, checked against 2 signed anchors (key ${t.app.audit.keyId})`,
    );
    expect(text).toContain('event 6 newer than the latest signed anchor');
  });

  it('fails an early event edited with every later hash and every anchor recomputed', async () => {
    await rewriteFrom(2);
    const { code, text } = await verify('2026-03-02T11:30:00Z');
    expect(code, text).toBe(1);
    expect(text).toContain(
      'anchor 2026-03-02T10: its signature does not match its contents (forged or altered)',
    );
    expect(text).toContain(
      'anchor 2026-03-02T11: its signature does not match its contents (forged or altered)',
    );
  });

  it('fails the same rewrite with the signatures stripped or the anchors deleted', async () => {
    await rewriteFrom(2);
    await anchors().updateMany({}, { $unset: { signature: '', keyId: '' } });
    const stripped = await verify('2026-03-02T11:30:00Z');
    expect(stripped.code, stripped.text).toBe(1);
    expect(stripped.text).toContain('no signed anchor covers events 1–6');
    await anchors().deleteMany({});
    const deleted = await verify('2026-03-02T11:30:00Z');
    expect(deleted.code, deleted.text).toBe(1);
    expect(deleted.text).toContain('no signed anchor covers events 1–6');
  });

  it('fails an unsigned anchor written after signing began, but not the unsigned daily ones from before', async () => {
    const [e1, , , e4] = pristine.events;
    await anchors().insertOne({
      _id: '2026-03-01',
      seq: 1,
      hash: e1!.hash,
      at: new Date('2026-03-02T09:10:00Z'),
    });
    const legacy = await verify('2026-03-02T11:30:00Z');
    expect(legacy.code, legacy.text).toBe(0);
    expect(legacy.text).toContain('1 anchor unsigned (before signing was enabled)');
    await anchors().insertOne({
      _id: '2026-03-02',
      seq: 4,
      hash: e4!.hash,
      at: new Date('2026-03-02T10:30:00Z'),
    });
    const late = await verify('2026-03-02T11:30:00Z');
    expect(late.code, late.text).toBe(1);
    expect(late.text).toContain(
      'anchor 2026-03-02 is unsigned, but was written after signing began (anchor 2026-03-02T10)',
    );
  });

  it('fails events removed from the end up to the last anchor', async () => {
    await events().deleteMany({ _id: { $in: [auditEventId(4), auditEventId(5), auditEventId(6)] } });
    const { code, text } = await verify('2026-03-02T11:30:00Z');
    expect(code, text).toBe(1);
    expect(text).toContain(
      'BROKEN at event 4: the log ends at event 3, but at 2026-03-02T11 it reached event 5: events were removed from its end',
    );
  });

  it('fails when the anchor for an hour with events is missing and nothing later covers them', async () => {
    await anchors().deleteOne({ _id: '2026-03-02T11' });
    // At 11:30 the events of hour 10 may still wait for their anchor; by 12:00 it is overdue.
    expect((await verify('2026-03-02T11:30:00Z')).code).toBe(0);
    const { code, text } = await verify('2026-03-02T12:00:00Z');
    expect(code, text).toBe(1);
    expect(text).toContain(
      'events 4–6 (from 2026-03-02T10:10:00.000Z) not covered by any signed anchor: the anchors after 2026-03-02T10 were deleted',
    );
  });

  it('lists an hour without its anchor after an hour with events, when a later anchor covers them', async () => {
    await anchors().deleteOne({ _id: '2026-03-02T11' });
    t.clock.set('2026-03-02T12:05:00Z');
    await runSweep(deps(t.app), { now: t.clock.now() });
    const { code, text } = await verify('2026-03-02T13:30:00Z');
    expect(code, text).toBe(0);
    expect(text).toContain('note: no anchor for 2026-03-02T11, though the hour before had events');
  });

  it("checks the anchors with an auditor's copy of the public key, and refuses another key", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'audit-key-'));
    const mine = path.join(dir, 'public.pem');
    await writeFile(mine, key.publicPem);
    const other = path.join(dir, 'other.pem');
    await writeFile(other, newAuditKeyPair().publicPem);
    const noKey = { ...t.config, AUDIT_SIGNING_KEY: undefined };
    expect((await verify('2026-03-02T11:30:00Z', { 'public-key': mine }, noKey)).code).toBe(0);
    const wrong = await verify('2026-03-02T11:30:00Z', { 'public-key': other }, noKey);
    expect(wrong.code).toBe(1);
    expect(wrong.text).toContain(`anchor 2026-03-02T10 is signed with key ${t.app.audit.keyId}, not `);
  });
});

describe('the fingerprint in the weekly digest', () => {
  /** Runs the nightly job on a Monday with one HR person and returns the fingerprint their digest shows. */
  async function digestFingerprint(app: TestApp, at: string, hrEmail: string): Promise<string> {
    await createUser(app.app, { email: hrEmail, role: 'hr' });
    const report = await runNightly(deps(app.app), { now: new Date(at) });
    expect(report.digestsSent).toBe(1);
    const mail = await app.app.db.models.Outbox.findOne({ kind: 'digest', to: hrEmail }).lean();
    const found = /Fingerprint: (\d+:[0-9a-f]{32})/.exec(mail?.text ?? '');
    expect(found, mail?.text).not.toBeNull();
    expect(mail?.text).toContain(`anchored with signing key ${app.app.audit.keyId}`);
    return found![1]!;
  }

  it('is accepted by audit:verify for the log it came from, and pins it against the key holder too', async () => {
    const fingerprint = await digestFingerprint(t, '2026-03-02T13:10:00Z', 'hr@signed.test');
    const ok = await verify('2026-03-02T13:30:00Z', { fingerprint });
    expect(ok.code, ok.text).toBe(0);
    expect(ok.text).toContain(`fingerprint ${fingerprint} matches event`);

    // Someone holding the database and the key rewrites the log and re-signs every anchor:
    // the anchors check out, the fingerprint kept in the e-mail does not.
    await rewriteFrom(2, anchorSigner(parseSigningKey(key.privatePem)));
    expect((await verify('2026-03-02T13:30:00Z')).code).toBe(0);
    const rewritten = await verify('2026-03-02T13:30:00Z', { fingerprint });
    expect(rewritten.code).toBe(1);
    expect(rewritten.text).toMatch(/fingerprint \S+ does not match: event \d+ now has hash/);
  });

  it('is refused when it comes from a different log', async () => {
    const other = await createTestApp({
      label: 'audit-signed-other',
      seed: false,
      config: { AUDIT_SIGNING_KEY: key.privatePem },
    });
    try {
      for (let n = 1; n <= 8; n += 1)
        await other.app.audit.append(
          { actorId: 'x', action: 'other.log', targetType: 't', targetId: String(n) },
          new Date('2026-03-09T09:00:00Z'),
        );
      const foreign = await digestFingerprint(other, '2026-03-09T10:00:00Z', 'hr@other.test');
      const { code, text } = await verify('2026-03-02T13:30:00Z', { fingerprint: foreign });
      expect(code).toBe(1);
      expect(text).toMatch(/fingerprint \S+ does not match/);
    } finally {
      await other.close();
    }
  });

  it('refuses a value that is not a fingerprint', async () => {
    await expect(verify('2026-03-02T13:30:00Z', { fingerprint: 'abc' })).rejects.toThrow(/not a fingerprint/);
  });
});
