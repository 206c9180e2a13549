import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyHeadDoc } from '../../src/db/models/policy.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { COURSE_ID } from '../factories.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';
import { insertVersionOnly } from '../helpers/cut-short-publish.js';

/**
 * A publish cut short after its version insert is completed by whoever gets there first: the
 * approval, the policy page, the jobs, on any instance (issue #30). Who audits it was decided by
 * the head's compare-and-set (`updateOne({_id, n: from})`), which FerretDB v1 does not make atomic:
 * racing completions could all "move" the head, and the version was audited as published twice.
 */
let a: TestApp;
let b: TestApp;
let hrId: string;
let adminId: string;
const CLAUSE = 'SMP-03';

beforeAll(async () => {
  a = await createTestApp({ label: 'policy_publish_race' });
  b = await createSecondApp(a);
  const users = usersRepository(a.app.db.models);
  hrId = (await users.findByEmail('hr@demo.test'))!._id;
  adminId = (await users.findByEmail('admin@demo.test'))!._id;
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** HR edits the clause (a minor change: no renewal campaign) and submits the draft. */
async function submitDraft(text: string) {
  const policy = a.app.services.policy;
  const now = a.clock.now();
  const form = await policy.clauseForm({ courseId: COURSE_ID, clauseId: CLAUSE });
  const wording = { ...form.wording, text };
  const edit = { actorId: hrId, courseId: COURSE_ID, clauseId: CLAUSE, wording, kind: 'minor' as const };
  expect(await policy.editClause({ ...edit, now })).toEqual({ ok: true });
  expect(await policy.submitDraft({ actorId: hrId, courseId: COURSE_ID, note: text, now })).toEqual({
    ok: true,
  });
}

const publishedAudits = (n: number) =>
  a.app.db.models.AuditEvent.countDocuments({
    action: 'policy.version.published',
    targetId: COURSE_ID,
    'details.n': n,
  });

describe('a cut-short publish completed by six policy pages at once on two instances', () => {
  it('moves the head and audits the version exactly once, every round', async () => {
    // Version 2 published whole: the head document exists from here on.
    await submitDraft('Clause three, version 2.');
    await a.app.services.policy.approveAndPublish({
      approver: { id: adminId, role: 'admin' },
      courseId: COURSE_ID,
      dueAt: new Date(a.clock.now().getTime() + 30 * 86_400_000),
      now: a.clock.now(),
    });
    const twice: string[] = [];
    for (let round = 0; round < 25; round++) {
      await submitDraft(`Clause three, round ${round}.`);
      const version = await insertVersionOnly(a.app, { approvedBy: adminId, renewalDueAt: null });
      const viewer = { id: adminId, role: 'admin' as const };
      await Promise.all(
        [a, b, a, b, a, b].map((t) =>
          t.app.services.policy.policyPage({ courseId: COURSE_ID, viewer, now: a.clock.now() }),
        ),
      );
      const head = await a.app.db.models.PolicyHead.findById(COURSE_ID).lean<PolicyHeadDoc>();
      const audited = await publishedAudits(version.n);
      const draft = await a.app.db.models.PolicyDraft.findById(COURSE_ID).lean();
      if (audited !== 1 || head!.n !== version.n || draft)
        twice.push(
          `round ${round}: version ${version.n} audited ${audited}×, head ${head!.n}, draft ${!!draft}`,
        );
    }
    expect(twice).toEqual([]);
  });
});
