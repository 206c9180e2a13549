import { driverCollection } from '../../db/driver-collection.js';
import type { ClassificationAnswerDoc } from '../../db/models/learning.js';
import type { ClauseAnswerDoc } from '../../db/models/practice.js';
import type { AttemptResultDoc } from '../../db/models/quiz.js';
import type { AssignmentDoc } from '../../db/models/training.js';
import { readAhead } from '../../db/read-ahead.js';
import { addRecall, type Quarter, quarterEnd, type RecallCells } from '../../domain/mastery/knowledge.js';
import { type ClauseReview, memoryFrom, recall } from '../../domain/mastery/memory.js';
import type { ServiceContext } from '../context.js';
import { reviewsOfAnswer, reviewsOfFirstExample, reviewsOfResult } from '../learning/mastery.js';

const BATCH = 2000;

type Ctx = Pick<ServiceContext, 'models'>;

/** Streams a course's documents of one collection dated before `until`, handing each to `take`. */
async function stream<T extends { _id: string }>(
  // biome-ignore lint/suspicious/noExplicitAny: any model; the caller names the lean type.
  model: any,
  filter: Record<string, unknown>,
  projection: Record<string, 0 | 1>,
  take: (doc: T) => void,
): Promise<void> {
  const collection = driverCollection<{ _id: string }>(model);
  const cursor = collection.find<T>(filter, { projection, batchSize: BATCH });
  for await (const batch of readAhead(cursor)) for (const d of batch) take(d as T);
}

/**
 * A learner's reviews, packed: four numbers per review (time, clause index, score, event index) and
 * each event id once. A course's whole history is held during a backfill, and review objects cost
 * several times more (the 10k-person bench: about 130 MB of objects).
 */
class PackedHistory {
  readonly rows: number[] = [];
  readonly events: string[] = [];
  readonly sources: ClauseReview['source'][] = [];

  add(reviews: ClauseReview[], clauseIndex: Map<string, number>): void {
    let event = -1;
    for (const r of reviews) {
      if (event < 0 || this.events[event] !== r.eventId) {
        event = this.events.push(r.eventId) - 1;
        this.sources.push(r.source);
      }
      const clause = clauseIndex.get(r.clauseId) ?? clauseIndex.size;
      if (clause === clauseIndex.size) clauseIndex.set(r.clauseId, clause);
      this.rows.push(r.at.getTime(), clause, r.score, event);
    }
  }

  /** The reviews dated before `end`, as objects again (one learner at a time). */
  before(end: number, clauseIds: readonly string[]): ClauseReview[] {
    const out: ClauseReview[] = [];
    for (let i = 0; i < this.rows.length; i += 4) {
      const at = this.rows[i]!;
      if (at >= end) continue;
      const event = this.rows[i + 3]!;
      out.push({
        eventId: this.events[event]!,
        clauseId: clauseIds[this.rows[i + 1]!]!,
        at: new Date(at),
        score: this.rows[i + 2]!,
        source: this.sources[event]!,
      });
    }
    return out;
  }
}

/**
 * Every learner's graded history of a course before `until`, grouped by learner: one streaming
 * pass each over the quiz results, the kept clause answers and the first example answers (the
 * same events services/learning/mastery.ts replays; an example answer kept in both places has the
 * same event id, and memoryFrom counts each event once).
 */
async function historiesBefore(
  ctx: Ctx,
  courseId: string,
  until: Date,
): Promise<{ byUser: Map<string, PackedHistory>; clauseIds: string[] }> {
  const byUser = new Map<string, PackedHistory>();
  const clauseIndex = new Map<string, number>();
  const add = (userId: string, reviews: ClauseReview[]) => {
    if (reviews.length === 0) return;
    const history = byUser.get(userId) ?? new PackedHistory();
    byUser.set(userId, history);
    history.add(reviews, clauseIndex);
  };
  await stream<AttemptResultDoc>(
    ctx.models.AttemptResult,
    { courseId, submittedAt: { $lt: until } },
    { _id: 1, userId: 1, courseId: 1, clauses: 1, submittedAt: 1, purpose: 1 },
    (r) => add(r.userId, reviewsOfResult(r)),
  );
  await stream<ClauseAnswerDoc>(
    ctx.models.ClauseAnswer,
    { courseId, at: { $lt: until } },
    { _id: 1, userId: 1, source: 1, clauses: 1, correct: 1, at: 1 },
    (a) => add(a.userId, reviewsOfAnswer(a)),
  );
  await stream<ClassificationAnswerDoc>(
    ctx.models.ClassificationAnswer,
    { courseId, at: { $lt: until } },
    { _id: 1, userId: 1, exampleId: 1, cycleId: 1, clauses: 1, correct: 1, at: 1 },
    (d) => add(d.userId, reviewsOfFirstExample(d.userId, courseId, d)),
  );
  return { byUser, clauseIds: [...clauseIndex.keys()] };
}

/** userId → department, from the course's assignments (the copy of the person's department). */
async function departments(ctx: Ctx, courseId: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await stream<Pick<AssignmentDoc, '_id' | 'userId' | 'department'>>(
    ctx.models.Assignment,
    { courseId },
    { _id: 0, userId: 1, department: 1 },
    (a) => out.set(a.userId, a.department ?? ''),
  );
  return out;
}

/**
 * The clause-by-department cells at the end of each of `quarters` (past quarters with no stored
 * snapshot), by replaying each learner's history up to that end with the memory model and taking
 * recall at that instant. Departments are today's (the history does not keep past ones). Costs one
 * pass per history collection and memory for the history of the course; it runs once per missing
 * quarter (the first nightly run after the release, or after snapshots were lost).
 */
export async function replayQuarterCells(
  ctx: Ctx,
  courseId: string,
  quarters: readonly Quarter[],
): Promise<Map<Quarter, RecallCells>> {
  const out = new Map<Quarter, RecallCells>(quarters.map((q) => [q, {}]));
  if (quarters.length === 0) return out;
  const ends = quarters.map((q) => ({ q, end: quarterEnd(q) }));
  const until = new Date(Math.max(...ends.map((e) => e.end.getTime())));
  const { byUser, clauseIds } = await historiesBefore(ctx, courseId, until);
  const depts = await departments(ctx, courseId);
  for (const [userId, history] of byUser)
    for (const { q, end } of ends) {
      const before = history.before(end.getTime(), clauseIds);
      if (before.length === 0) continue;
      addRecall(out.get(q)!, depts.get(userId) ?? '', memoryFrom(before), (card) => recall(card, end));
    }
  return out;
}
