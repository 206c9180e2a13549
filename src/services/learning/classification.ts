import { insertOnce } from '../../db/insert-once.js';
import { classificationKey, cycleKey } from '../../db/keys.js';
import type { ClassificationAnswerDoc } from '../../db/models/learning.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course, ExamplePost, PostVerdict } from '../../domain/course.js';
import type { Learner } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { xapiHooks } from '../xapi/hooks.js';
import { recordClauseAnswer } from './mastery.js';

export interface ClassifyResult {
  answer: PostVerdict;
  correct: boolean;
  /** The learner's first answer to this example (what HR's report counts), possibly from earlier. */
  first: ClassificationAnswerDoc;
}

/**
 * The learner judged an example post. Only the first answer per person and example is kept
 * (insert-once), so later attempts after seeing the verdict do not hide real confusion.
 */
export async function classifyExample(
  ctx: ServiceContext,
  input: { learner: Learner; course: Course; example: ExamplePost; answer: PostVerdict; now: Date },
): Promise<ClassifyResult> {
  const { learner, course, example, answer, now } = input;
  const correct = answer === example.verdict;
  const assignment = await trainingRepository(ctx.models).findAssignment(learner.id, course.id);
  const first = await insertOnce<ClassificationAnswerDoc>(ctx.models.ClassificationAnswer, {
    _id: classificationKey(learner.id, course.id, example.id),
    userId: learner.id,
    courseId: course.id,
    exampleId: example.id,
    cycleId: assignment ? cycleKey(learner.id, course.id, assignment.cycleNo) : null,
    department: learner.department,
    contentVersion: course.version,
    answer,
    correct,
    clauses: [...example.clauses],
    at: now,
  });
  await xapiHooks.exampleClassified(ctx, first, now);
  // Clause memory (issue #23): the first answer to this example in each cycle is a review (before
  // any assignment, in the cycle 1 that enrolment will open).
  await recordClauseAnswer(ctx, {
    userId: learner.id,
    courseId: course.id,
    department: learner.department,
    source: 'example',
    scope: cycleKey(learner.id, course.id, assignment?.cycleNo ?? 1),
    itemId: example.id,
    clauses: example.clauses,
    correct,
    now,
  });
  return { answer, correct, first };
}

/** The learner's recorded first answers for these examples (by `_id`, in parallel). exampleId → answer. */
export async function recordedAnswers(
  ctx: ServiceContext,
  input: { userId: string; course: Course },
): Promise<Map<string, ClassificationAnswerDoc>> {
  const { userId, course } = input;
  const docs = await Promise.all(
    course.examples.map((e) =>
      ctx.models.ClassificationAnswer.findById(
        classificationKey(userId, course.id, e.id),
      ).lean<ClassificationAnswerDoc>(),
    ),
  );
  return new Map(docs.filter((d) => d !== null).map((d) => [d.exampleId, d]));
}

export interface ClauseConfusion {
  clauseId: string;
  answers: number;
  wrong: number;
}

/**
 * For HR: per clause, how many first answers involved it and how many were wrong, most-missed first.
 * A scan of one course's answers, counted in code (FerretDB has no `$unwind`-friendly grouping we rely on).
 */
export async function clauseConfusion(
  ctx: ServiceContext,
  input: { courseId: string },
): Promise<ClauseConfusion[]> {
  const tally = new Map<string, ClauseConfusion>();
  const cursor = ctx.models.ClassificationAnswer.find(
    { courseId: input.courseId },
    { clauses: 1, correct: 1 },
  )
    .lean()
    .cursor();
  for await (const doc of cursor) {
    for (const clauseId of doc.clauses) {
      const row = tally.get(clauseId) ?? { clauseId, answers: 0, wrong: 0 };
      row.answers += 1;
      if (!doc.correct) row.wrong += 1;
      tally.set(clauseId, row);
    }
  }
  return [...tally.values()].sort((a, b) => b.wrong / b.answers - a.wrong / a.answers || b.wrong - a.wrong);
}
