import { createHash } from 'node:crypto';
import { insertIfNew } from '../../db/insert-once.js';
import {
  assignmentKey,
  classificationKey,
  clauseAnswerKey,
  clauseMemoryKey,
  cycleKey,
} from '../../db/keys.js';
import type { ClassificationAnswerDoc } from '../../db/models/learning.js';
import type { ClauseMemoryDoc } from '../../db/models/mastery.js';
import type { ClauseAnswerDoc } from '../../db/models/practice.js';
import type { AttemptResultDoc } from '../../db/models/quiz.js';
import type { AssignmentDoc } from '../../db/models/training.js';
import type { Course } from '../../domain/course.js';
import { applyReview, type ClauseReview, type MemoryState, memoryFrom } from '../../domain/mastery/memory.js';
import type { ServiceContext } from '../context.js';

/**
 * Clause memory (issue #23): every graded answer about a clause is folded into the learner's one
 * ClauseMemory summary (`_id` `<userId>:<courseId>`) exactly once, and the summary can be rebuilt
 * from the stored history (quiz and pre-assessment results, example and practice answers).
 *
 * Exactly once without transactions: the event's id goes into `applied` in the same write as its
 * reviews, so a replay (a repeated result page, a double submit) finds it there and changes
 * nothing; two deliveries of one event read at once fold the same state and write the same
 * document. The write is a compare-and-set on `updatedAt` (strictly increasing per write): on
 * MongoDB that also keeps two different events at once from losing one. FerretDB v1 does not make
 * a filtered update atomic (measured: 8 writers at once, one update in five rounds lost), so there
 * two different events for one learner in the same few milliseconds can still lose one; the
 * summary is a cache, and the nightly job rebuilds every learner whose events of the day are
 * missing from `applied` (repairClauseMemories, mastery-repair.ts).
 *
 * `applied` holds short ids (appliedId: 16 characters of the event id's SHA-256), the last 300:
 * every read of the summary (the sweep's, the nightly pass's) decodes it whole.
 *
 * An event dated before a clause's last review (a late delivery) is not folded in: the learner is
 * rebuilt from the history in time order, so the incremental memory always equals the rebuild.
 */

/** Event ids kept in `applied` (newest last): far more than a learner produces between nightly repairs. */
export const APPLIED_KEPT = 300;
const RETRIES = 8;

/** The short id `applied` keeps for an event: 96 bits of its SHA-256, base64url. */
export function appliedId(eventId: string): string {
  return createHash('sha256').update(eventId).digest('base64url').slice(0, 16);
}

/** Whether the summary lists the event (short id, or the full id written before short ones). */
const listed = (applied: readonly string[], eventId: string) =>
  applied.includes(appliedId(eventId)) || applied.includes(eventId);

export type EventSource = ClauseReview['source'];

/** A quiz or pre-assessment result's per-clause reviews (score = share right). */
/** A graded attempt's event id in the clause memory. */
export const resultEventId = (resultId: string) => `attempt:${resultId}`;

export function reviewsOfResult(result: AttemptResultDoc): ClauseReview[] {
  const source: EventSource = result.purpose === 'pretest' ? 'pretest' : 'quiz';
  return Object.entries(result.clauses ?? {})
    .filter(([, c]) => c.total > 0)
    .map(([clauseId, c]) => ({
      eventId: resultEventId(result._id),
      clauseId,
      at: result.submittedAt,
      score: Math.min(1, Math.max(0, c.correct / c.total)),
      source,
    }));
}

/** An example or practice answer's reviews: one per clause of the item, right or wrong. */
export function reviewsOfAnswer(a: Pick<ClauseAnswerDoc, '_id' | 'source' | 'clauses' | 'correct' | 'at'>) {
  return a.clauses.map(
    (clauseId): ClauseReview => ({
      eventId: `${a.source}:${a._id}`,
      clauseId,
      at: a.at,
      score: a.correct ? 1 : 0,
      source: a.source,
    }),
  );
}

/**
 * A first example answer (ClassificationAnswer) as reviews, with the event id the live hook gives
 * it (classification.ts keeps it as a clause answer scoped to the cycle, cycle 1 before any
 * assignment): the replay, the repair and the knowledge backfill all name it this way.
 */
export function reviewsOfFirstExample(
  userId: string,
  courseId: string,
  d: Pick<ClassificationAnswerDoc, 'exampleId' | 'cycleId' | 'clauses' | 'correct' | 'at'>,
): ClauseReview[] {
  return reviewsOfAnswer({
    _id: clauseAnswerKey(
      userId,
      courseId,
      'example',
      d.cycleId ?? cycleKey(userId, courseId, 1),
      d.exampleId,
    ),
    source: 'example',
    clauses: d.clauses,
    correct: d.correct,
    at: d.at,
  });
}

/**
 * Folds one event's reviews into the learner's memory unless it is there already. Returns false
 * when the event had been applied (a replay). `department` is copied when given (else kept, or read
 * from the assignment when the summary is first written).
 */
export async function recordClauseReviews(
  ctx: ServiceContext,
  input: {
    userId: string;
    courseId: string;
    eventId: string;
    reviews: ClauseReview[];
    department?: string;
    now: Date;
  },
): Promise<boolean> {
  const { userId, courseId, eventId, reviews, now } = input;
  if (!reviews.length) return false;
  const _id = clauseMemoryKey(userId, courseId);
  for (let i = 0; i < RETRIES; i += 1) {
    const doc = await ctx.models.ClauseMemory.findById(_id).lean<ClauseMemoryDoc>();
    if (doc && listed(doc.applied, eventId)) return false;
    const course = ctx.courses.get(courseId);
    if (doc && course && isLate(doc.clauses, reviews)) {
      await rebuildClauseMemory(ctx, { userId, course, now, extra: reviews });
      return true;
    }
    const clauses = reviews.reduce<MemoryState>((s, r) => applyReview(s, r), doc?.clauses ?? {});
    const applied = [...(doc?.applied ?? []), appliedId(eventId)].slice(-APPLIED_KEPT);
    if (!doc) {
      const department = input.department ?? (await departmentOf(ctx, userId, courseId));
      const fresh = { _id, userId, courseId, department, clauses, applied, updatedAt: now };
      if (await insertIfNew(ctx.models.ClauseMemory, fresh)) return true;
      continue;
    }
    // Strictly later than the version read, so the compare-and-set below never matches twice.
    const updatedAt = new Date(Math.max(now.getTime(), doc.updatedAt.getTime() + 1));
    const set = { clauses, applied, updatedAt, department: input.department ?? doc.department };
    const res = await ctx.models.ClauseMemory.updateOne({ _id, updatedAt: doc.updatedAt }, { $set: set });
    if (res.matchedCount === 1) return true;
  }
  throw new Error(`clause memory ${_id}: gave up after ${RETRIES} concurrent writes`);
}

/** Whether a review is dated before its clause's last review (folding it would reorder history). */
function isLate(clauses: MemoryState, reviews: readonly ClauseReview[]): boolean {
  return reviews.some((r) => {
    const last = clauses[r.clauseId]?.lastReview;
    return last != null && new Date(last).getTime() > r.at.getTime();
  });
}

async function departmentOf(ctx: ServiceContext, userId: string, courseId: string): Promise<string> {
  const a = await ctx.models.Assignment.findById(assignmentKey(userId, courseId), {
    department: 1,
  }).lean<Pick<AssignmentDoc, 'department'>>();
  return a?.department ?? '';
}

/** A graded quiz or pre-assessment result into memory (any purpose; idempotent). */
export async function recordQuizResult(
  ctx: ServiceContext,
  input: { result: AttemptResultDoc; now: Date },
): Promise<boolean> {
  const { result, now } = input;
  const reviews = reviewsOfResult(result);
  const eventId = reviews[0]?.eventId ?? resultEventId(result._id);
  return recordClauseReviews(ctx, {
    userId: result.userId,
    courseId: result.courseId,
    eventId,
    reviews,
    now,
  });
}

/**
 * An example or practice answer: kept once per item and scope (the first answer in a cycle, or in a
 * practice session), then folded into memory. A repeat answer in the same scope changes nothing.
 */
export async function recordClauseAnswer(
  ctx: ServiceContext,
  input: {
    userId: string;
    courseId: string;
    department?: string;
    source: ClauseAnswerDoc['source'];
    scope: string;
    itemId: string;
    clauses: readonly string[];
    correct: boolean;
    now: Date;
  },
): Promise<{ recorded: boolean; answer: ClauseAnswerDoc }> {
  const { userId, courseId, source, scope, itemId, correct, now } = input;
  const candidate: ClauseAnswerDoc = {
    _id: clauseAnswerKey(userId, courseId, source, scope, itemId),
    userId,
    courseId,
    source,
    scope,
    itemId,
    clauses: [...input.clauses],
    correct,
    at: now,
  };
  const created = await insertIfNew(ctx.models.ClauseAnswer, candidate);
  const answer = created
    ? candidate
    : ((await ctx.models.ClauseAnswer.findById(candidate._id).lean<ClauseAnswerDoc>()) ?? candidate);
  // Applied even when the answer existed: a crash between the two writes is repaired by the repeat.
  const reviews = reviewsOfAnswer(answer);
  const eventId = `${source}:${answer._id}`;
  await recordClauseReviews(ctx, { userId, courseId, eventId, reviews, department: input.department, now });
  return { recorded: created, answer };
}

/** The learner's clause memory (empty when nothing was graded yet), by `_id`. */
export async function clauseMemoryOf(
  ctx: ServiceContext,
  input: { userId: string; courseId: string },
): Promise<MemoryState> {
  const doc = await ctx.models.ClauseMemory.findById(
    clauseMemoryKey(input.userId, input.courseId),
  ).lean<ClauseMemoryDoc>();
  return doc?.clauses ?? {};
}

/** Everything graded about the learner's clauses in this course, as reviews (any order). */
export async function clauseHistory(
  ctx: ServiceContext,
  input: { userId: string; course: Course },
): Promise<ClauseReview[]> {
  const { userId, course } = input;
  const [results, answers, firstExamples] = await Promise.all([
    ctx.models.AttemptResult.find({ userId, courseId: course.id }).lean<AttemptResultDoc[]>(),
    ctx.models.ClauseAnswer.find({ userId, courseId: course.id }).lean<ClauseAnswerDoc[]>(),
    Promise.all(
      course.examples.map((e) =>
        ctx.models.ClassificationAnswer.findById(
          classificationKey(userId, course.id, e.id),
        ).lean<ClassificationAnswerDoc>(),
      ),
    ),
  ]);
  // First example answers from before clause answers were kept: the same event ids, so a first
  // answer kept in both places counts once (memoryFrom keeps each event and clause once).
  const legacy = firstExamples.filter((d): d is ClassificationAnswerDoc => d !== null);
  return [
    ...results.flatMap(reviewsOfResult),
    ...answers.flatMap(reviewsOfAnswer),
    ...legacy.flatMap((d) => reviewsOfFirstExample(userId, course.id, d)),
  ];
}

/**
 * Rebuilds the learner's memory from the stored history (repairs a lost or stale summary; the
 * backfill). The summary is replaced as a whole; `applied` lists the events replayed.
 */
export async function rebuildClauseMemory(
  ctx: ServiceContext,
  input: { userId: string; course: Course; now: Date; extra?: readonly ClauseReview[] },
): Promise<MemoryState> {
  const { userId, course, now } = input;
  const history = [...(await clauseHistory(ctx, { userId, course })), ...(input.extra ?? [])];
  const clauses = memoryFrom(history);
  const sorted = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const applied = [...new Set(sorted.map((r) => appliedId(r.eventId)))].slice(-APPLIED_KEPT);
  const _id = clauseMemoryKey(userId, course.id);
  const department = await departmentOf(ctx, userId, course.id);
  await ctx.models.ClauseMemory.replaceOne(
    { _id },
    { _id, userId, courseId: course.id, department, clauses, applied, updatedAt: now },
    { upsert: true },
  );
  return clauses;
}
