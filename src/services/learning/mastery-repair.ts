import { driverCollection } from '../../db/driver-collection.js';
import { clauseMemoryKey } from '../../db/keys.js';
import type { ClauseMemoryDoc } from '../../db/models/mastery.js';
import type { ClauseAnswerDoc } from '../../db/models/practice.js';
import type { AttemptResultDoc } from '../../db/models/quiz.js';
import { readAhead } from '../../db/read-ahead.js';
import { findManyById } from '../../db/repositories/by-id.js';
import type { ServiceContext } from '../context.js';
import { appliedId, rebuildClauseMemory, resultEventId, reviewsOfAnswer } from './mastery.js';

/**
 * The nightly repair of clause memory (issue #23, review fix 3). Two different events for one
 * learner at the same moment can lose one on FerretDB v1 (its filtered update is not atomic, so the
 * compare-and-set in mastery.ts can let both writers win). Each night, every event graded since the
 * previous run (quiz and pre-assessment results, example and practice answers) is looked up in its
 * learner's `applied` list; a learner missing one is rebuilt from the stored history (a pure replay).
 * Reads: the day's results (seen in the nightly's pass over every result), the day's answers (by
 * date), then the touched summaries by `_id`.
 */

const BATCH = 1000;

export interface RepairReport {
  /** Learners with events graded since `since`. */
  checked: number;
  /** Of those, rebuilt because an event was missing from their memory. */
  rebuilt: number;
}

/**
 * The events graded in (`since`, `now`], per learner memory. Quiz and pre-assessment results come
 * from the nightly job's one pass over every result (`addResult` as its visit: FerretDB decodes every
 * document of a pass, so a second pass filtered by date would cost as much again).
 */
export class RecentEvents {
  readonly byMemory = new Map<string, { userId: string; courseId: string; ids: Set<string> }>();

  constructor(
    private readonly courses: { has(courseId: string): boolean },
    readonly since: Date,
    readonly now: Date,
  ) {}

  add(userId: string, courseId: string, eventId: string): void {
    if (!this.courses.has(courseId)) return;
    const key = clauseMemoryKey(userId, courseId);
    const entry = this.byMemory.get(key) ?? { userId, courseId, ids: new Set<string>() };
    this.byMemory.set(key, entry);
    entry.ids.add(eventId);
  }

  /** A result counts when received in the window and it graded some clause (as reviewsOfResult). */
  addResult(r: Pick<AttemptResultDoc, '_id' | 'userId' | 'courseId' | 'clauses' | 'receivedAt'>): void {
    const at = r.receivedAt.getTime();
    if (at < this.since.getTime() || at > this.now.getTime()) return;
    if (!Object.values(r.clauses ?? {}).some((c) => c.total > 0)) return;
    this.add(r.userId, r.courseId, resultEventId(r._id));
  }
}

/** Adds the window's example and practice answers, then rebuilds each learner missing an event. */
export async function repairClauseMemories(
  ctx: ServiceContext,
  { recent }: { recent: RecentEvents },
): Promise<RepairReport> {
  const { since, now } = recent;
  const answers = driverCollection(ctx.models.ClauseAnswer).find<ClauseAnswerDoc>(
    { at: { $gte: since, $lte: now } },
    {
      projection: { _id: 1, userId: 1, courseId: 1, source: 1, clauses: 1, correct: 1, at: 1 },
      batchSize: BATCH,
    },
  );
  for await (const batch of readAhead(answers))
    for (const a of batch) {
      const first = reviewsOfAnswer(a)[0];
      if (first) recent.add(a.userId, a.courseId, first.eventId);
    }
  const events = recent.byMemory;
  const docs = await findManyById<Pick<ClauseMemoryDoc, '_id' | 'applied'>>(
    ctx.models.ClauseMemory,
    events.keys(),
    { applied: 1 },
  );
  const stored = new Map(docs.map((d) => [d._id, new Set(d.applied ?? [])]));
  let rebuilt = 0;
  for (const [key, { userId, courseId, ids }] of events) {
    const applied = stored.get(key);
    // A summary written before short ids lists the full ones.
    if (applied && [...ids].every((id) => applied.has(appliedId(id)) || applied.has(id))) continue;
    await rebuildClauseMemory(ctx, { userId, course: ctx.courses.get(courseId)!, now });
    rebuilt += 1;
  }
  return { checked: events.size, rebuilt };
}
