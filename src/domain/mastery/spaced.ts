import type { Course } from '../course.js';
import { addMonthsClamped, dayKey, daysBetween, utcDay } from '../dates.js';
import { seededRng, shuffled } from '../quiz/random.js';
import { CATCH_UP_DAYS } from '../reminders.js';

/**
 * Five-minute spaced refreshers between cycles (issue #23): every `spacedEveryMonths` after a
 * completion, the learner gets one e-mail pointing at a short practice of the clauses they are
 * most likely to have forgotten (domain/mastery/memory.ts `mostDue`).
 */

/** Clauses a spaced practice covers: a few minutes' work. */
export const SPACED_CLAUSE_COUNT = 3;

/**
 * The spaced refresher due at `now` for a completion, if any: the n-th falls n × `everyMonths`
 * after the completion day. Keyed on its own day (the reminder key), and like today's reminders
 * sent only within CATCH_UP_DAYS of it, so a sweep that was down for weeks does not send a
 * stale one, and turning the setting on does not mail everyone at once.
 */
export function spacedRefresherDue(
  input: { completedAt: Date | null; everyMonths: number | undefined | null },
  now: Date,
): { n: number; day: string } | null {
  const latest = latestSpacedRefresher(input, now);
  if (!latest || daysBetween(latest.date, utcDay(now)) > CATCH_UP_DAYS) return null;
  return { n: latest.n, day: latest.day };
}

/**
 * The latest spaced refresher day not after `now` (however long ago), if any: the practice page
 * finds the e-mail it answers (its reminder key) from it.
 */
export function latestSpacedRefresher(
  input: { completedAt: Date | null; everyMonths: number | undefined | null },
  now: Date,
): { n: number; day: string; date: Date } | null {
  const { completedAt, everyMonths } = input;
  if (!completedAt || !everyMonths || everyMonths <= 0) return null;
  const start = utcDay(completedAt);
  const today = utcDay(now);
  let n = Math.max(1, Math.floor(monthsBetween(start, today) / everyMonths));
  // Month lengths differ: step back or forward to the latest one not after today.
  while (n > 1 && addMonthsClamped(start, n * everyMonths) > today) n -= 1;
  while (addMonthsClamped(start, (n + 1) * everyMonths) <= today) n += 1;
  const date = addMonthsClamped(start, n * everyMonths);
  if (date > today) return null;
  return { n, day: dayKey(date), date };
}

function monthsBetween(a: Date, b: Date): number {
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

/** One thing to answer in a practice: an example post to judge, or a choice question. */
export interface PracticeItemRef {
  kind: 'example' | 'question';
  id: string;
  /** The clause it was drawn for. */
  clauseId: string;
}

/** Question types the practice page asks (the post-based ones are practised through examples). */
const PRACTICE_TYPES = new Set(['single', 'truefalse', 'multiple']);

/**
 * The practice for these clauses, in their order: for each, one example post and one choice
 * question about it (either may be missing when the course has none left), never one item twice.
 */
export function practiceItems(course: Course, clauseIds: readonly string[], seed: string): PracticeItemRef[] {
  const rng = seededRng(seed);
  const used = new Set<string>();
  const out: PracticeItemRef[] = [];
  for (const clauseId of clauseIds) {
    const example = shuffled(
      course.examples.filter((e) => e.clauses.includes(clauseId) && !used.has(`example:${e.id}`)),
      rng,
    )[0];
    if (example) {
      used.add(`example:${example.id}`);
      out.push({ kind: 'example', id: example.id, clauseId });
    }
    const question = shuffled(
      course.questions.filter(
        (q) => PRACTICE_TYPES.has(q.type) && q.clauses.includes(clauseId) && !used.has(`question:${q.id}`),
      ),
      rng,
    )[0];
    if (question) {
      used.add(`question:${question.id}`);
      out.push({ kind: 'question', id: question.id, clauseId });
    }
  }
  return out;
}
