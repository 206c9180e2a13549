import { type Card, createEmptyCard, fsrs, type Grade, Rating, State } from 'ts-fsrs';

/**
 * Clause memory (issue #23): how well a learner still knows each clause, as FSRS memory states
 * (Free Spaced Repetition Scheduler, https://github.com/open-spaced-repetition/fsrs4anki/wiki).
 * Every graded answer about a clause is one review; the state is a pure fold of the reviews in
 * time order, so a stored summary can always be rebuilt from the history.
 *
 * Parameters, and why:
 * - the published default weights (`default_w`, FSRS-6, fitted by its authors on ~10k users' real
 *   review logs): we have no per-organisation review data to fit our own yet;
 * - `request_retention` 0.9, the published default: a clause falls due when the chance of
 *   recalling it drops to 90 %;
 * - `enable_fuzz` false: fuzz spreads flash-card due dates at random; we need the same history to
 *   give the same state (rebuild = incremental, pinned-date tests);
 * - `enable_short_term` false: learning steps of minutes suit flash cards drilled in one sitting;
 *   a compliance learner answers about a clause a few times a year, so every review is long-term;
 * - `maximum_interval` 365 days: the policy is re-attested at least yearly, so no clause is
 *   scheduled further out than that.
 */
const scheduler = fsrs({
  request_retention: 0.9,
  maximum_interval: 365,
  enable_fuzz: false,
  enable_short_term: false,
});

/** One graded answer about one clause. A quiz attempt is one event with a review per clause. */
export interface ClauseReview {
  eventId: string;
  clauseId: string;
  at: Date;
  /** The share of the event's answers about this clause that were right, 0..1. */
  score: number;
  source: 'quiz' | 'pretest' | 'example' | 'practice';
}

/**
 * A clause's memory state, stored as it is in the learner's ClauseMemory summary
 * (db/models/mastery.ts `StoredClauseCard`, which is this type).
 */
export interface ClauseCard {
  due: Date;
  stability: number;
  difficulty: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  lastReview: Date | null;
}

/** clauseId → card. */
export type MemoryState = Record<string, ClauseCard>;

/**
 * The FSRS grade for a score. Wrong (under half right) is Again, partly right Hard, right Good.
 * Never Easy: Easy means "recalled without effort", and we see answers, not effort, so one lucky
 * right answer must not stretch the interval that far.
 */
export function gradeFor(score: number): Grade {
  if (!Number.isFinite(score) || score < 0 || score > 1)
    throw new RangeError(`score ${score} is not within 0..1`);
  if (score < 0.5) return Rating.Again;
  if (score < 0.8) return Rating.Hard;
  return Rating.Good;
}

function toFsrs(card: ClauseCard): Card {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: 0,
    scheduled_days: 0,
    learning_steps: 0,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state as State,
    ...(card.lastReview ? { last_review: card.lastReview } : {}),
  };
}

function fromFsrs(card: Card): ClauseCard {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ?? null,
  };
}

/**
 * The state after one review. A review dated before the card's last one (events recorded out of
 * order) is taken at the last review's time: memory never runs backwards. (The service never
 * folds such a late event: it rebuilds the learner with memoryFrom, so incremental == rebuild.)
 */
export function applyReview(state: MemoryState, review: ClauseReview): MemoryState {
  const current = state[review.clauseId];
  const card = current ? toFsrs(current) : createEmptyCard(review.at);
  const last = current?.lastReview;
  const when = last && last.getTime() > review.at.getTime() ? last : review.at;
  const next = scheduler.next(card, when, gradeFor(review.score)).card;
  return { ...state, [review.clauseId]: fromFsrs(next) };
}

/** The memory a history leaves: each (event, clause) once, in time order (then event id). */
export function memoryFrom(history: readonly ClauseReview[]): MemoryState {
  const seen = new Set<string>();
  const unique = history.filter((r) => {
    const key = `${r.eventId}\u0000${r.clauseId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) ||
      (a.clauseId < b.clauseId ? -1 : a.clauseId > b.clauseId ? 1 : 0),
  );
  let state: MemoryState = {};
  for (const r of unique) state = applyReview(state, r);
  return state;
}

/** The probability (0..1) that the learner recalls the clause at `now`; 0 if never reviewed. */
export function recall(card: ClauseCard | undefined, now: Date): number {
  if (!card || card.state === State.New || !card.lastReview) return 0;
  return scheduler.get_retrievability(toFsrs(card), now, false);
}

/** Up to `n` of `clauseIds`, lowest recall at `now` first (never-reviewed first), ties by id. */
export function mostDue(state: MemoryState, clauseIds: readonly string[], now: Date, n: number): string[] {
  return [...new Set(clauseIds)]
    .map((id) => ({ id, r: recall(state[id], now) }))
    .sort((a, b) => a.r - b.r || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, n))
    .map((x) => x.id);
}
