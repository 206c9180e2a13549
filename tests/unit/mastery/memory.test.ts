import { describe, expect, it } from 'vitest';
import {
  applyReview,
  type ClauseReview,
  gradeFor,
  type MemoryState,
  memoryFrom,
  mostDue,
  recall,
} from '../../../src/domain/mastery/memory.js';

const DAY = 86_400_000;
const T0 = new Date('2026-01-05T09:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** ts-fsrs 5 with the FSRS-6 default weights, retention 0.9, no fuzz, no short-term steps. */
const FIRST_GOOD = { stability: 2.3065, difficulty: 2.11810397, due: '2026-01-08T09:00:00.000Z' };

function review(eventId: string, clauseId: string, days: number, score: number): ClauseReview {
  return { eventId, clauseId, at: at(days), score, source: 'quiz' };
}

describe('gradeFor', () => {
  it('maps a score to an FSRS grade: wrong is Again, partly right Hard, right Good, never Easy', () => {
    expect(gradeFor(0)).toBe(1);
    expect(gradeFor(0.49)).toBe(1);
    expect(gradeFor(0.5)).toBe(2);
    expect(gradeFor(0.79)).toBe(2);
    expect(gradeFor(0.8)).toBe(3);
    expect(gradeFor(1)).toBe(3);
  });

  it('refuses a score outside 0..1', () => {
    expect(() => gradeFor(-0.1)).toThrow();
    expect(() => gradeFor(1.5)).toThrow();
    expect(() => gradeFor(Number.NaN)).toThrow();
  });
});

describe('applyReview', () => {
  it('a first correct answer makes a reviewed card due days later, with its last review at the answer', () => {
    const state = applyReview({}, review('e1', 'c1', 0, 1));
    const card = state.c1;
    expect(card).toBeDefined();
    expect(card?.reps).toBe(1);
    expect(card?.lapses).toBe(0);
    expect(card?.state).toBe(2);
    expect(card?.lastReview?.toISOString()).toBe(T0.toISOString());
    expect(card?.due.getTime()).toBeGreaterThan(at(1).getTime());
  });

  it('does not change the state it was given (pure)', () => {
    const before: MemoryState = {};
    const after = applyReview(before, review('e1', 'c1', 0, 1));
    expect(before).toEqual({});
    const again = applyReview(after, review('e2', 'c1', 10, 0));
    expect(after.c1?.reps).toBe(1);
    expect(again.c1?.reps).toBe(2);
  });

  it('a wrong answer after a right one counts a lapse and brings the due date in', () => {
    const right = applyReview({}, review('e1', 'c1', 0, 1));
    const rightAgain = applyReview(right, review('e2', 'c1', 5, 1));
    const wrong = applyReview(right, review('e2', 'c1', 5, 0));
    expect(wrong.c1?.lapses).toBe(1);
    expect(rightAgain.c1?.lapses).toBe(0);
    expect(wrong.c1?.due.getTime()).toBeLessThan(rightAgain.c1?.due.getTime() ?? 0);
    expect(wrong.c1?.stability).toBeLessThan(rightAgain.c1?.stability ?? 0);
  });

  it('is deterministic (no fuzz): the same history gives the same card', () => {
    const a = applyReview(applyReview({}, review('e1', 'c1', 0, 1)), review('e2', 'c1', 30, 1));
    const b = applyReview(applyReview({}, review('e1', 'c1', 0, 1)), review('e2', 'c1', 30, 1));
    expect(a).toEqual(b);
  });

  // The pure fold's rule; the service never folds a late event (it rebuilds the learner from the
  // history in time order, so incremental == rebuild: tests/integration/mastery-memory.test.ts).
  it("a review dated before the card's last one is folded in at the last review, never backwards", () => {
    const s = applyReview({}, review('e1', 'c1', 10, 1));
    const late = applyReview(s, review('e0', 'c1', 3, 1));
    expect(late.c1?.lastReview?.toISOString()).toBe(at(10).toISOString());
    expect(late.c1?.reps).toBe(2);
  });
});

describe('pinned FSRS values (a change of ts-fsrs default weights or of our parameters fails here)', () => {
  it('a first right answer: stability, difficulty and due date exactly', () => {
    const card = applyReview({}, review('e1', 'c1', 0, 1)).c1!;
    expect(card.stability).toBe(FIRST_GOOD.stability);
    expect(card.difficulty).toBe(FIRST_GOOD.difficulty);
    expect(card.due.toISOString()).toBe(FIRST_GOOD.due);
  });

  it('right, partly right at day 20, wrong at day 60, right at day 70: the card exactly', () => {
    const history = [
      review('e0', 'c1', 0, 1),
      review('e1', 'c1', 20, 0.6),
      review('e2', 'c1', 60, 0),
      review('e3', 'c1', 70, 1),
    ];
    expect(memoryFrom(history).c1).toEqual({
      due: new Date('2026-03-25T09:00:00.000Z'),
      stability: 9.00752363,
      difficulty: 8.24749648,
      reps: 4,
      lapses: 1,
      state: 2,
      lastReview: new Date('2026-03-16T09:00:00.000Z'),
    });
  });
});

describe('memoryFrom', () => {
  const history = [
    review('q1', 'c2', 20, 0.5),
    review('q1', 'c1', 20, 1),
    review('x1', 'c1', 0, 1),
    review('x2', 'c3', 1, 0),
  ];

  it('replays the history in time order: equal to folding applyReview over the sorted events', () => {
    const sorted = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
    const folded = sorted.reduce<MemoryState>((s, r) => applyReview(s, r), {});
    expect(memoryFrom(history)).toEqual(folded);
    expect(Object.keys(memoryFrom(history)).sort()).toEqual(['c1', 'c2', 'c3']);
  });

  it('does not depend on the order the history was read in', () => {
    expect(memoryFrom([...history].reverse())).toEqual(memoryFrom(history));
  });

  it('counts an event for a clause once even when it appears twice', () => {
    expect(memoryFrom([...history, review('q1', 'c1', 20, 1)])).toEqual(memoryFrom(history));
  });

  it('an empty history is an empty memory', () => {
    expect(memoryFrom([])).toEqual({});
  });
});

describe('recall', () => {
  it('is 1 just after a right answer and falls as time passes', () => {
    const card = applyReview({}, review('e1', 'c1', 0, 1)).c1;
    if (!card) throw new Error('no card');
    const now = recall(card, at(0));
    const month = recall(card, at(30));
    const year = recall(card, at(365));
    expect(now).toBeCloseTo(1, 5);
    expect(month).toBeLessThan(now);
    expect(year).toBeLessThan(month);
    expect(year).toBeGreaterThan(0);
  });

  it('is about 0.9 on the due date (the retention FSRS schedules for)', () => {
    const card = applyReview({}, review('e1', 'c1', 0, 1)).c1;
    if (!card) throw new Error('no card');
    expect(recall(card, card.due)).toBeGreaterThan(0.85);
    expect(recall(card, card.due)).toBeLessThan(0.95);
  });

  it('a well-practised clause is remembered better a year on than one answered once', () => {
    let practised: MemoryState = {};
    for (const [i, d] of [0, 3, 14, 60, 150].entries())
      practised = applyReview(practised, review(`e${i}`, 'c1', d, 1));
    const once = applyReview({}, review('o', 'c1', 150, 1));
    const p = practised.c1;
    const o = once.c1;
    if (!p || !o) throw new Error('no card');
    expect(recall(p, at(515))).toBeGreaterThan(recall(o, at(515)));
  });
});

describe('mostDue', () => {
  const state = memoryFrom([
    review('a', 'strong', 0, 1),
    review('b', 'strong', 10, 1),
    review('c', 'strong', 60, 1),
    review('d', 'weak', 60, 0),
    review('e', 'middling', 0, 1),
  ]);

  it('orders clauses by lowest recall at now; a clause never reviewed comes first', () => {
    expect(mostDue(state, ['strong', 'weak', 'middling', 'unseen'], at(90), 3)).toEqual([
      'unseen',
      'weak',
      'middling',
    ]);
  });

  it('only picks from the clauses asked about, and at most n', () => {
    expect(mostDue(state, ['strong', 'middling'], at(90), 1)).toEqual(['middling']);
    expect(mostDue(state, ['strong'], at(90), 3)).toEqual(['strong']);
    expect(mostDue(state, [], at(90), 3)).toEqual([]);
  });

  it('breaks ties by clause id so the pick is stable', () => {
    expect(mostDue({}, ['c', 'a', 'b'], at(0), 2)).toEqual(['a', 'b']);
  });
});
