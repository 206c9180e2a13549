import { insertOnce } from '../../db/insert-once.js';
import { assignmentKey, clauseAnswerKey, cycleKey, practiceSessionKey, reminderKey } from '../../db/keys.js';
import type { CourseSettingsDoc, ReminderDoc } from '../../db/models/hr.js';
import type { ClauseAnswerDoc, PracticeSessionDoc } from '../../db/models/practice.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import type { ChoiceOption, Course, ExamplePost, PostVerdict, Question } from '../../domain/course.js';
import { dayKey } from '../../domain/dates.js';
import { Invalid, NotFound } from '../../domain/errors.js';
import { mostDue } from '../../domain/mastery/memory.js';
import {
  latestSpacedRefresher,
  type PracticeItemRef,
  practiceItems,
  SPACED_CLAUSE_COUNT,
} from '../../domain/mastery/spaced.js';
import { gradeQuestion } from '../../domain/quiz/grading.js';
import { seededRng, shuffled } from '../../domain/quiz/random.js';
import type { ServiceContext } from '../context.js';
import { courseForLearner } from './jurisdictions.js';
import { clauseMemoryOf, recordClauseAnswer } from './mastery.js';

/**
 * The five-minute spaced practice between cycles (issue #23): the clauses most due for review in
 * the learner's memory, an example post and a choice question for each, one at a time, graded on
 * the server with feedback after each answer. It feeds clause memory; it asks for no attestation.
 * One practice per learner, course and UTC day (`practice_sessions`, insert-once), so the draw
 * stays put while the learner works through it.
 *
 * Only between cycles: the course has spaced refreshers on, and the learner's current cycle is
 * completed (no open cycle, whose quiz this would give away). The questions are those of the
 * learner's jurisdictions, and the clauses those the spaced e-mail named (kept on its reminder).
 */

export interface PracticeLearner {
  id: string;
  department: string;
}

export interface PracticeState {
  session: PracticeSessionDoc;
  /** The course as this learner sees it (their jurisdictions' questions only). */
  course: Course;
  /** Index of the first item not answered yet; null when every item is. */
  next: number | null;
  answered: number;
}

const itemKey = (item: PracticeItemRef) => `${item.kind}-${item.id}`;

/** Today's practice (drawn now if it is the first visit today) and how far the learner is. */
export async function openPractice(
  ctx: ServiceContext,
  input: { learner: PracticeLearner; course: Course; now: Date },
): Promise<PracticeState> {
  const open = await practiceOpen(ctx, { userId: input.learner.id, course: input.course, now: input.now });
  const session = await todaysSession(ctx, { ...input, ...open });
  const answers = await answersOf(ctx, session);
  const next = answers.indexOf(null);
  return {
    session,
    course: open.course,
    next: next === -1 ? null : next,
    answered: answers.filter(Boolean).length,
  };
}

const NO_PRACTICE = 'learn.practice.none';

/**
 * Whether the learner may practise now (else NotFound): spaced refreshers on for the course, the
 * learner's assignment active and its current cycle completed. Returns the course narrowed to their
 * jurisdictions and the clauses the latest spaced e-mail named (null when none was sent). Reads by
 * `_id` only.
 */
async function practiceOpen(
  ctx: ServiceContext,
  input: { userId: string; course: Course; now: Date },
): Promise<{ course: Course; named: string[] | null }> {
  const { userId, course, now } = input;
  const [settings, a] = await Promise.all([
    ctx.models.CourseSettings.findById(course.id, { spacedEveryMonths: 1 }).lean<
      Pick<CourseSettingsDoc, 'spacedEveryMonths'>
    >(),
    ctx.models.Assignment.findById(assignmentKey(userId, course.id)).lean<AssignmentDoc>(),
  ]);
  const everyMonths = settings?.spacedEveryMonths ?? 0;
  if (!everyMonths || !a?.active || a.state !== 'completed' || !a.completedAt)
    throw new NotFound(NO_PRACTICE);
  const latest = latestSpacedRefresher({ completedAt: a.completedAt, everyMonths }, now);
  const [cycle, reminder] = await Promise.all([
    ctx.models.Cycle.findById(cycleKey(userId, course.id, a.cycleNo), { completedAt: 1 }).lean<
      Pick<CycleDoc, 'completedAt'>
    >(),
    latest
      ? ctx.models.Reminder.findById(
          reminderKey(userId, course.id, a.cycleNo, { kind: 'spaced', day: latest.day }),
          { clauses: 1 },
        ).lean<Pick<ReminderDoc, 'clauses'>>()
      : null,
  ]);
  if (!cycle?.completedAt) throw new NotFound(NO_PRACTICE);
  const shown = await courseForLearner(ctx, { region: a.region, course });
  const known = new Set(course.clauses.map((c) => c.id));
  const named = reminder?.clauses?.filter((id) => known.has(id)) ?? [];
  return { course: shown.course, named: named.length ? named : null };
}

async function todaysSession(
  ctx: ServiceContext,
  input: { learner: PracticeLearner; course: Course; named: string[] | null; now: Date },
): Promise<PracticeSessionDoc> {
  const { learner, course, now } = input;
  const _id = practiceSessionKey(learner.id, course.id, dayKey(now));
  const existing = await ctx.models.PracticeSession.findById(_id).lean<PracticeSessionDoc>();
  if (existing) return existing;
  // The clauses the e-mail named; without one (practice opened before any was sent), the most due.
  const clauses =
    input.named ??
    mostDue(
      await clauseMemoryOf(ctx, { userId: learner.id, courseId: course.id }),
      course.clauses.map((c) => c.id),
      now,
      SPACED_CLAUSE_COUNT,
    );
  return insertOnce<PracticeSessionDoc>(ctx.models.PracticeSession, {
    _id,
    userId: learner.id,
    courseId: course.id,
    day: dayKey(now),
    contentVersion: course.version,
    clauses,
    items: practiceItems(course, clauses, _id),
    createdAt: now,
  });
}

async function answersOf(
  ctx: ServiceContext,
  session: PracticeSessionDoc,
): Promise<(ClauseAnswerDoc | null)[]> {
  return Promise.all(
    session.items.map((item) =>
      ctx.models.ClauseAnswer.findById(
        clauseAnswerKey(session.userId, session.courseId, 'practice', session._id, itemKey(item)),
      ).lean<ClauseAnswerDoc>(),
    ),
  );
}

/** The options of a practice question in the order shown (fixed per practice and question). */
export function shownOptions(session: PracticeSessionDoc, question: Question): ChoiceOption[] {
  if (question.type !== 'single' && question.type !== 'truefalse' && question.type !== 'multiple') return [];
  return question.fixedOrder
    ? question.options
    : shuffled(question.options, seededRng(`${session._id}:${question.id}`));
}

/** What the page shows for one item: the example or the question, from the course. */
export function itemContent(
  course: Course,
  item: PracticeItemRef,
): { example: ExamplePost; question: null } | { example: null; question: Question } {
  if (item.kind === 'example') {
    const example = course.examples.find((e) => e.id === item.id);
    if (example) return { example, question: null };
  } else {
    const question = course.questions.find((q) => q.id === item.id);
    if (question) return { example: null, question };
  }
  throw new NotFound('learn.practice.itemGone');
}

export interface PracticeAnswer {
  session: PracticeSessionDoc;
  /** The course as this learner sees it. */
  course: Course;
  index: number;
  item: PracticeItemRef;
  correct: boolean;
  /** False when the item had been answered before: the first answer is the one that counts. */
  recorded: boolean;
}

/**
 * Grades one answer of today's practice and records it (once per item: a repeated post changes
 * nothing). `verdict` answers an example; `choices` (positions in the order shown) a question.
 */
export async function answerPractice(
  ctx: ServiceContext,
  input: {
    learner: PracticeLearner;
    course: Course;
    index: number;
    verdict?: PostVerdict;
    choices?: number[];
    now: Date;
  },
): Promise<PracticeAnswer> {
  const { learner, index, now } = input;
  const { course } = await practiceOpen(ctx, { userId: learner.id, course: input.course, now });
  const session = await ctx.models.PracticeSession.findById(
    practiceSessionKey(learner.id, course.id, dayKey(now)),
  ).lean<PracticeSessionDoc>();
  const item = session?.items[index];
  if (!session || !item) throw new NotFound('learn.practice.noItem');
  const content = itemContent(course, item);
  const correct = content.example
    ? gradeExample(content.example, input.verdict)
    : gradeChoices(session, content.question, input.choices);
  const clauses = content.example ? content.example.clauses : content.question.clauses;
  const { recorded, answer } = await recordClauseAnswer(ctx, {
    userId: learner.id,
    courseId: course.id,
    department: learner.department,
    source: 'practice',
    scope: session._id,
    itemId: itemKey(item),
    clauses,
    correct,
    now,
  });
  return { session, course, index, item, correct: recorded ? correct : answer.correct, recorded };
}

function gradeExample(example: ExamplePost, verdict: PostVerdict | undefined): boolean {
  if (!verdict) throw new Invalid('learn.example.chooseVerdict');
  return verdict === example.verdict;
}

function gradeChoices(
  session: PracticeSessionDoc,
  question: Question,
  choices: number[] | undefined,
): boolean {
  const shown = shownOptions(session, question);
  const picked = [...new Set(choices ?? [])];
  if (!picked.length) throw new Invalid('learn.practice.chooseAnswer');
  if (picked.some((i) => !Number.isInteger(i) || i < 0 || i >= shown.length))
    throw new Invalid('learn.practice.notAChoice');
  if (question.type !== 'multiple' && picked.length > 1) throw new Invalid('learn.practice.chooseOne');
  return gradeQuestion(question, { choiceIds: picked.map((i) => shown[i]!.id) }) === 1;
}

/**
 * The ids of the questions a learner was shown in spaced practice for a course (any day): the
 * pre-assessment draw leaves them out, since their answers were shown after each one.
 */
export async function practiceQuestionsSeen(
  ctx: ServiceContext,
  input: { userId: string; courseId: string },
): Promise<Set<string>> {
  const sessions = await ctx.models.PracticeSession.find(
    { userId: input.userId, courseId: input.courseId },
    { items: 1 },
  ).lean<Pick<PracticeSessionDoc, 'items'>[]>();
  return new Set(sessions.flatMap((s) => s.items.filter((i) => i.kind === 'question').map((i) => i.id)));
}
