import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDraftDoc } from '../../src/db/models/policy.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { DraftChanged } from '../../src/domain/policy-draft.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The draft revision an approval names identifies exactly what the approver reviewed (issue #30).
 * A count starting again at each new draft (and moved by `$inc`, which FerretDB v1 does not make
 * atomic) let two different drafts, or two racing edits, carry the same revision.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'policy-draft-revision' });
});
afterAll(async () => t?.close());

const person = async (email: string) => (await usersRepository(t.app.db.models).findByEmail(email))!;
const draftDoc = () => t.app.db.models.PolicyDraft.findById(COURSE_ID).lean<PolicyDraftDoc>();

describe('the revision an approver reviewed', () => {
  it('does not approve another draft submitted after the reviewed one was discarded', async () => {
    const [hr, admin] = [await person('hr@demo.test'), await person('admin@demo.test')];
    const policy = t.app.services.policy;
    const now = t.clock.now();
    const clauses = t.app.catalogue.templates.get(COURSE_ID)!.clauses;
    const draftOf = async (clause: (typeof clauses)[number], text: string) => {
      const wording = { title: clause.title, summary: clause.summary, text };
      const edit = {
        actorId: hr._id,
        courseId: COURSE_ID,
        clauseId: clause.id,
        wording,
        kind: 'minor' as const,
      };
      expect(await policy.editClause({ ...edit, now })).toEqual({ ok: true });
      expect(await policy.submitDraft({ actorId: hr._id, courseId: COURSE_ID, note: text, now })).toEqual({
        ok: true,
      });
      return (await draftDoc())!.revision;
    };

    // The admin opens the page on the first draft, which HR then discards and replaces.
    const reviewed = await draftOf(clauses[1]!, 'The draft the admin reviewed.');
    await policy.discardDraft({ actorId: hr._id, courseId: COURSE_ID, now });
    await draftOf(clauses[2]!, 'A draft nobody reviewed.');

    const approval = policy.approveAndPublish({
      approver: { id: admin._id, role: 'admin' },
      courseId: COURSE_ID,
      revision: reviewed,
      dueAt: new Date(now.getTime() + 30 * 86_400_000),
      now,
    });
    await expect(approval).rejects.toBeInstanceOf(DraftChanged);
    expect(await t.app.db.models.PolicyVersion.countDocuments({ courseId: COURSE_ID })).toBe(0);
  });
});
