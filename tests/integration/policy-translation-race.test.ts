import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimOnce } from '../../src/db/once-claims.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { Conflict } from '../../src/domain/errors.js';
import { COURSE_ID } from '../factories.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Two HR editors (two instances, issue #30) saving the translation of one clause from the same form
 * revision. The save was a compare-and-swap (`replaceOne({_id, rev})`), which FerretDB v1 does not
 * make atomic: more than one racing save could "match", each was told it saved and was audited, and
 * all wordings but the last were silently lost instead of the others getting the stale-form conflict.
 */
let a: TestApp;
let b: TestApp;
const CLAUSE = 'SMP-02';

beforeAll(async () => {
  a = await createTestApp({ label: 'policy_translation_race' });
  b = await createSecondApp(a);
  const users = usersRepository(a.app.db.models);
  const [hr, admin] = [
    (await users.findByEmail('hr@demo.test'))!,
    (await users.findByEmail('admin@demo.test'))!,
  ];
  const policy = a.app.services.policy;
  const now = a.clock.now();
  const form = await policy.clauseForm({ courseId: COURSE_ID, clauseId: CLAUSE });
  const wording = { ...form.wording, text: 'A reworded clause two.' };
  const edit = { actorId: hr._id, courseId: COURSE_ID, clauseId: CLAUSE, wording, kind: 'minor' as const };
  expect(await policy.editClause({ ...edit, now })).toEqual({ ok: true });
  expect(await policy.submitDraft({ actorId: hr._id, courseId: COURSE_ID, note: 'Two', now })).toEqual({
    ok: true,
  });
  const draft = await a.app.db.models.PolicyDraft.findById(COURSE_ID).lean<{ revision: number }>();
  await policy.approveAndPublish({
    approver: { id: admin._id, role: 'admin' },
    courseId: COURSE_ID,
    revision: draft!.revision,
    dueAt: new Date(now.getTime() + 30 * 86_400_000),
    now,
  });
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

const saves = () =>
  a.app.db.models.AuditEvent.countDocuments({
    action: 'policy.translation.saved',
    'details.clauseId': CLAUSE,
  });

describe('one clause translation saved by six editors from the same revision', () => {
  it('exactly one save wins and is kept and audited; the others get the stale-form conflict, every round', async () => {
    const wrong: string[] = [];
    for (let round = 0; round < 40; round++) {
      const page = await a.app.services.policy.translationForm({ courseId: COURSE_ID, lang: 'es' });
      const clause = page.clauses.find((c) => c.clauseId === CLAUSE)!;
      const auditedBefore = await saves();
      const racers = [a, b, a, b, a, b];
      const texts = racers.map((_, i) => `Ronda ${round}, editor ${i}.`);
      const results = await Promise.allSettled(
        racers.map((t, i) =>
          t.app.services.policy.saveClauseTranslation({
            actorId: `editor-${i}`,
            courseId: COURSE_ID,
            lang: 'es',
            clauseId: CLAUSE,
            sourceHash: clause.sourceHash,
            rev: clause.rev,
            fields: Object.fromEntries(clause.fields.map((f) => [f, texts[i]])),
            now: a.clock.now(),
          }),
        ),
      );
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      const others = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
      const stored = await a.app.db.models.PolicyClauseTranslation.findById(
        `${COURSE_ID}:es:${CLAUSE}`,
      ).lean<{ rev: number; wording: Record<string, string> }>();
      const audited = (await saves()) - auditedBefore;
      const kept = won.length === 1 && Object.values(stored!.wording).every((v) => v === texts[won[0]!]);
      if (won.length !== 1 || audited !== 1 || !kept || stored!.rev !== clause.rev + 1)
        wrong.push(`round ${round}: ${won.length} saved, ${audited} audited, rev ${stored!.rev}`);
      for (const err of others) expect(err).toBeInstanceOf(Conflict);
    }
    expect(wrong).toEqual([]);
  });
});

describe('a save whose process died between its claim and its write', () => {
  it('blocks saves from that revision for a minute only; a form older than that still conflicts', async () => {
    const policy = b.app.services.policy;
    const clause = (await policy.translationForm({ courseId: COURSE_ID, lang: 'es' })).clauses.find(
      (c) => c.clauseId === CLAUSE,
    )!;
    expect(clause.rev).toBeGreaterThan(1);
    await claimOnce(
      a.app.db.models,
      `policy-translation:${COURSE_ID}:es:${CLAUSE}:${clause.rev + 1}`,
      a.clock.now(),
    );
    const save = (rev: number, text: string) =>
      policy.saveClauseTranslation({
        actorId: 'editor',
        courseId: COURSE_ID,
        lang: 'es',
        clauseId: CLAUSE,
        sourceHash: clause.sourceHash,
        rev,
        fields: Object.fromEntries(clause.fields.map((f) => [f, text])),
        now: a.clock.now(),
      });
    await expect(save(clause.rev, 'Demasiado pronto.')).rejects.toBeInstanceOf(Conflict);
    a.clock.advance(2 * 60_000);
    await expect(save(clause.rev - 1, 'Un formulario viejo.')).rejects.toBeInstanceOf(Conflict);
    await expect(save(clause.rev, 'Guardado.')).resolves.toBeDefined();
    const stored = await a.app.db.models.PolicyClauseTranslation.findById(`${COURSE_ID}:es:${CLAUSE}`).lean<{
      rev: number;
      wording: Record<string, string>;
    }>();
    expect(stored!.rev).toBe(clause.rev + 1);
    expect(Object.values(stored!.wording)).toEqual(clause.fields.map(() => 'Guardado.'));
  });
});
