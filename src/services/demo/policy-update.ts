import { usersRepository } from '../../db/repositories/users.js';
import type { Course } from '../../domain/course.js';
import { addDays } from '../../domain/dates.js';
import type { ServiceContext } from '../context.js';
import { editClause, submitDraft } from '../policy/draft.js';
import { approveAndPublish } from '../policy/publish.js';

/** How long ago the demo's version 2 was published: after Dev Diallo's completion, before everyone else's. */
export const POLICY_UPDATE_DAYS_AGO = 370;

/** The clause version 2 changed; none of the other demo cases (maya's weak clauses, journey 8's edit) touch it. */
export const UPDATED_CLAUSE = 'SMP-02';

const NEW_TEXT =
  'Before posting anything connected with work, stop and ask whether you would be comfortable if your manager, a client and a journalist all read it, and if it were still findable in five years. Assume every post is public and permanent: closed groups get screenshotted, deleted posts get archived, and disappearing stories get recorded. Do not post about work while angry, exhausted or impaired; wait until you can reread it calmly. This pause is advice for your own protection; it is never a condition on the rights in SMP-01.';

/**
 * A minor wording change published a year ago, as HR and an admin would make it: HR edits clause 2
 * (disappearing stories are recorded too) and submits it; the admin approves. Minor, so nobody had to
 * re-attest; but whoever last attested version 1 studies that clause in their refresher (issue #23),
 * even when the check says they still know it.
 */
export async function publishDemoPolicyUpdate(ctx: ServiceContext, course: Course, now: Date): Promise<void> {
  const users = usersRepository(ctx.models);
  const [hr, admin] = await Promise.all([
    users.findByEmail('hr@demo.test'),
    users.findByEmail('admin@demo.test'),
  ]);
  const clause = course.clauses.find((c) => c.id === UPDATED_CLAUSE);
  if (!hr || !admin || !clause) return;
  const at = addDays(now, -POLICY_UPDATE_DAYS_AGO);
  const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
  const edited = await editClause(ctx, {
    actorId: hr._id,
    courseId: course.id,
    clauseId: UPDATED_CLAUSE,
    wording: { title: clause.title, summary: clause.summary, text: NEW_TEXT },
    kind: 'minor',
    now: at,
  });
  if (!edited.ok)
    throw new Error(`demo policy update refused: ${edited.errors.map((e) => e.message).join('; ')}`);
  const note = 'Clause 2 now says that disappearing stories can be recorded too.';
  const submitted = await submitDraft(ctx, { actorId: hr._id, courseId: course.id, note, now: later(5) });
  if (!submitted.ok) throw new Error('demo policy update: the change note was refused');
  await approveAndPublish(ctx, {
    approver: { id: admin._id, role: admin.role },
    courseId: course.id,
    dueAt: addDays(at, 30),
    now: later(60),
  });
}
