import { usersRepository } from '../../db/repositories/users.js';
import type { Course } from '../../domain/course.js';
import { addDays } from '../../domain/dates.js';
import type { ServiceContext } from '../context.js';
import { editClause, submitDraft } from '../policy/draft.js';
import { approveAndPublish } from '../policy/publish.js';
import { saveClauseTranslation, translationForm } from '../policy/translation.js';

/** How long ago the demo's version 2 was published: after Dev Diallo's completion, before everyone else's. */
export const POLICY_UPDATE_DAYS_AGO = 370;

/** The clause version 2 changed; none of the other demo cases (maya's weak clauses, journey 8's edit) touch it. */
export const UPDATED_CLAUSE = 'SMP-02';

const NEW_TEXT =
  'Before posting anything connected with work, stop and ask whether you would be comfortable if your manager, a client and a journalist all read it, and if it were still findable in five years. Assume every post is public and permanent: closed groups get screenshotted, deleted posts get archived, and disappearing stories get recorded. Do not post about work while angry, exhausted or impaired; wait until you can reread it calmly. This pause is advice for your own protection; it is never a condition on the rights in SMP-01.';

/**
 * HR's Spanish and German wording of the same change, saved after publishing (as HR would on the
 * policy's translation page), so the demo's Spanish and German learners get the course in their
 * language again with the new clause 2.
 */
const TRANSLATED_TEXT: Record<'es' | 'de', string> = {
  es: 'Antes de publicar cualquier cosa relacionada con el trabajo, detente y pregúntate si te sentirías a gusto si tu responsable, un cliente y un periodista la leyeran, y si todavía se pudiera encontrar dentro de cinco años. Da por hecho que cada publicación es pública y permanente: en los grupos cerrados se hacen capturas de pantalla, las publicaciones borradas quedan archivadas y las historias efímeras también se graban. No publiques sobre el trabajo con enfado, con agotamiento o con tus capacidades mermadas; espera hasta poder releerla con calma. Esta pausa es un consejo para tu propia protección; nunca es una condición para ejercer los derechos de SMP-01.',
  de: 'Bevor Sie etwas mit Bezug zur Arbeit posten, halten Sie inne und fragen Sie sich, ob es Ihnen recht wäre, wenn Ihre Führungskraft, eine Kundin und ein Journalist es alle lesen und es auch in fünf Jahren noch auffindbar wäre. Gehen Sie davon aus, dass jeder Beitrag öffentlich und dauerhaft ist: Von geschlossenen Gruppen werden Screenshots gemacht, gelöschte Beiträge werden archiviert, und auch verschwindende Storys werden aufgezeichnet. Posten Sie nichts über die Arbeit, wenn Sie wütend, erschöpft oder nicht ganz bei sich sind; warten Sie, bis Sie es in Ruhe noch einmal lesen können. Dieses Innehalten ist ein Rat zu Ihrem eigenen Schutz; es ist nie eine Bedingung für die Rechte aus SMP-01.',
};

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
  // The served courses follow the published version at their next refresh; the form needs it now.
  await ctx.catalogue.refresh({ force: true });
  for (const lang of ['es', 'de'] as const) {
    const form = await translationForm(ctx, { courseId: course.id, lang });
    const clauseForm = form.clauses.find((c) => c.clauseId === UPDATED_CLAUSE);
    if (!clauseForm) continue;
    await saveClauseTranslation(ctx, {
      actorId: hr._id,
      courseId: course.id,
      lang,
      clauseId: UPDATED_CLAUSE,
      sourceHash: clauseForm.sourceHash,
      rev: clauseForm.rev,
      fields: { text: TRANSLATED_TEXT[lang] },
      now: later(90),
    });
  }
}
