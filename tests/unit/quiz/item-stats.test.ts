import { describe, expect, it } from 'vitest';
import {
  ItemTally,
  itemStatistics,
  MIN_ANSWERS_FOR_DISTRACTOR_FLAG,
  MIN_ANSWERS_FOR_FLAGS,
  pointBiserial,
} from '../../../src/domain/quiz/item-stats.js';
import { classify, multiple, single, spot, trueFalse } from './fixtures.js';

/*
 * A small data set worked by hand. Four graded attempts (A–D), each drawing the same five
 * questions (fixtures: q1 single, right option a; q2 multiple with partial credit, right a and b;
 * q3 classify, verdict unacceptable, right reason r2; q4 true/false keyed False; q5 spot, problem s2).
 *
 *          q1      q2          q3                      q4       q5       total
 *   A      a  1    a,b    1    unacceptable r2  1      true  0  s2   1   4
 *   B      a  1    a,b    1    acceptable   r2  0      true  0  s2   1   3
 *   C      b  0    c      0    acceptable   r1  0      false 1  s1   0   1
 *   D      b  0    a,b,c  0.5  unacceptable r3  0.5    false 1  (blank) 2
 *
 * Discrimination is Pearson's r between an item's points x and the rest of the attempt's score
 * y = total − x, from the sums: r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)).
 *
 * q1: x = 1,1,0,0; y = 3,2,1,2. n=4, Σx=2, Σy=8, Σxy=5, Σx²=2, Σy²=18.
 *     r = (20 − 16) / √((8 − 4)(72 − 64)) = 4/√32 = 1/√2 = 0.70711. Correct 2/4 = 0.5, mean 0.5.
 *     Picks a 2, b 2, c 0: c is a distractor nobody picked.
 * q2: x = 1,1,0,0.5; y = 3,2,1,1.5. Σx=2.5, Σy=7.5, Σxy=3+2+0+0.75=5.75, Σx²=2.25, Σy²=16.25.
 *     r = (23 − 18.75) / √((9 − 6.25)(65 − 56.25)) = 4.25/√(2.75 × 8.75) = 4.25/4.905354 = 0.86640.
 *     Correct (points 1) 2/4 = 0.5; mean 2.5/4 = 0.625. Picks a 3, b 3, c 2, d 0.
 * q3: x = 1,0,0,0.5 → correct 1/4 = 0.25 (< 0.30: too hard), mean 0.375.
 *     Verdicts unacceptable 2, acceptable 2, ask-first 0; reasons r1 1, r2 2, r3 1.
 * q4: x = 0,0,1,1; y = 4,3,0,1. Σx=2, Σy=8, Σxy=1, Σx²=2, Σy²=26.
 *     r = (4 − 16) / √((8 − 4)(104 − 64)) = −12/√160 = −0.94868: negative discrimination.
 * q5: x = 1,1,0,0; y = 3,2,1,2 → r = 0.70711 as q1. Picks s1 1, s2 2, s3 0; one blank answer.
 */
const questions = [single('q1'), multiple(true, 'q2'), classify('q3'), trueFalse('q4'), spot('q5')];
const byId = new Map(questions.map((q) => [q.id, q]));

const attempt = (
  points: [number, number, number, number, number],
  answers: Record<string, { choiceIds: string[]; verdict?: 'acceptable' | 'ask-first' | 'unacceptable' }>,
) => ({
  questions: points.map((p, i) => ({ questionId: `q${i + 1}`, points: p })),
  answers,
});

const ATTEMPTS = [
  attempt([1, 1, 1, 0, 1], {
    q1: { choiceIds: ['a'] },
    q2: { choiceIds: ['a', 'b'] },
    q3: { verdict: 'unacceptable', choiceIds: ['r2'] },
    q4: { choiceIds: ['true'] },
    q5: { choiceIds: ['s2'] },
  }),
  attempt([1, 1, 0, 0, 1], {
    q1: { choiceIds: ['a'] },
    q2: { choiceIds: ['a', 'b'] },
    q3: { verdict: 'acceptable', choiceIds: ['r2'] },
    q4: { choiceIds: ['true'] },
    q5: { choiceIds: ['s2'] },
  }),
  attempt([0, 0, 0, 1, 0], {
    q1: { choiceIds: ['b'] },
    q2: { choiceIds: ['c'] },
    q3: { verdict: 'acceptable', choiceIds: ['r1'] },
    q4: { choiceIds: ['false'] },
    q5: { choiceIds: ['s1'] },
  }),
  attempt([0, 0.5, 0.5, 1, 0], {
    q1: { choiceIds: ['b'] },
    q2: { choiceIds: ['a', 'b', 'c'] },
    q3: { verdict: 'unacceptable', choiceIds: ['r3'] },
    q4: { choiceIds: ['false'] },
  }),
];

function tallied(): ItemTally {
  const tally = new ItemTally();
  for (const a of ATTEMPTS) tally.add(a);
  return tally;
}

/** The small set flags at 4 answers; the real minimums are tested below. */
const SMALL = { minAnswers: 4, minAnswersForDistractor: 4 };

describe('item statistics against the hand-worked data set', () => {
  it('keeps the six running sums per item', () => {
    expect(tallied().sums('q1')).toMatchObject({ n: 4, x: 2, y: 8, xy: 5, xx: 2, yy: 18, correct: 2 });
    expect(tallied().sums('q4')).toMatchObject({ n: 4, x: 2, y: 8, xy: 1, xx: 2, yy: 26, correct: 2 });
  });

  it('computes share correct, mean points and discrimination as worked by hand', () => {
    const tally = tallied();
    const q1 = itemStatistics(byId.get('q1')!, tally.sums('q1'), SMALL);
    expect(q1.drawn).toBe(4);
    expect(q1.shareCorrect).toBe(0.5);
    expect(q1.meanPoints).toBe(0.5);
    expect(q1.discrimination).toBeCloseTo(Math.SQRT1_2, 10);

    const q2 = itemStatistics(byId.get('q2')!, tally.sums('q2'), SMALL);
    expect(q2.shareCorrect).toBe(0.5);
    expect(q2.meanPoints).toBe(0.625);
    expect(q2.discrimination).toBeCloseTo(0.8664, 5);

    const q4 = itemStatistics(byId.get('q4')!, tally.sums('q4'), SMALL);
    expect(q4.discrimination).toBeCloseTo(-0.94868, 5);
    expect(q4.flags).toEqual(['negative-discrimination']);

    const q5 = itemStatistics(byId.get('q5')!, tally.sums('q5'), SMALL);
    expect(q5.discrimination).toBeCloseTo(Math.SQRT1_2, 10);
    expect(q5.blank).toBe(1);
  });

  it('counts how often each option, reason, segment and verdict was chosen', () => {
    const tally = tallied();
    const q2 = itemStatistics(byId.get('q2')!, tally.sums('q2'), SMALL);
    expect(q2.choices.map((c) => [c.id, c.picks, c.correct])).toEqual([
      ['a', 3, true],
      ['b', 3, true],
      ['c', 2, false],
      ['d', 0, false],
    ]);
    expect(q2.choices[0]!.share).toBe(0.75);
    const q3 = itemStatistics(byId.get('q3')!, tally.sums('q3'), SMALL);
    expect(q3.verdicts).toEqual([
      { id: 'acceptable', picks: 2, share: 0.5, correct: false },
      { id: 'ask-first', picks: 0, share: 0, correct: false },
      { id: 'unacceptable', picks: 2, share: 0.5, correct: true },
    ]);
    expect(q3.choices.map((c) => c.picks)).toEqual([1, 2, 1]);
    expect(q3.shareCorrect).toBe(0.25);
    expect(q3.meanPoints).toBe(0.375);
    const q5 = itemStatistics(byId.get('q5')!, tally.sums('q5'), SMALL);
    expect(q5.choices.map((c) => c.picks)).toEqual([1, 2, 0]);
  });

  it('flags too hard, negative discrimination and distractors nobody picks', () => {
    const tally = tallied();
    const flags = (id: string) => itemStatistics(byId.get(id)!, tally.sums(id), SMALL).flags;
    expect(flags('q1')).toEqual(['unpicked-distractor']);
    expect(itemStatistics(byId.get('q1')!, tally.sums('q1'), SMALL).unpicked).toEqual(['c']);
    expect(flags('q2')).toEqual(['unpicked-distractor']);
    // q3: the ask-first verdict is a distractor too.
    expect(flags('q3')).toEqual(['too-hard', 'unpicked-distractor']);
    expect(itemStatistics(byId.get('q3')!, tally.sums('q3'), SMALL).unpicked).toEqual(['ask-first']);
    expect(flags('q4')).toEqual(['negative-discrimination']);
    expect(flags('q5')).toEqual(['unpicked-distractor']);
  });

  it('flags nothing below the minimum sample (10 answers; 30 for an unpicked distractor)', () => {
    expect(MIN_ANSWERS_FOR_FLAGS).toBe(10);
    expect(MIN_ANSWERS_FOR_DISTRACTOR_FLAG).toBe(30);
    const tally = tallied();
    for (const q of questions) expect(itemStatistics(q, tally.sums(q.id)).flags, q.id).toEqual([]);
  });

  it('flags an item nearly everyone gets right as too easy, and leaves its discrimination undefined', () => {
    const tally = new ItemTally();
    // 30 attempts, q1 right every time: share 1 > 0.95; x never varies, so r has no value.
    for (let i = 0; i < 30; i += 1)
      tally.add({
        questions: [
          { questionId: 'q1', points: 1 },
          { questionId: 'q4', points: i % 2 },
        ],
        answers: { q1: { choiceIds: ['a'] }, q4: { choiceIds: [i % 2 ? 'false' : 'true'] } },
      });
    const q1 = itemStatistics(single('q1'), tally.sums('q1'));
    expect(q1.shareCorrect).toBe(1);
    expect(q1.discrimination).toBeNull();
    expect(q1.flags).toEqual(['too-easy', 'unpicked-distractor']);
    expect(q1.unpicked).toEqual(['b', 'c']);
  });

  it('has no figures for an item never drawn', () => {
    const stats = itemStatistics(single('q9'), new ItemTally().sums('q9'));
    expect(stats).toMatchObject({
      drawn: 0,
      shareCorrect: null,
      meanPoints: null,
      discrimination: null,
      flags: [],
    });
  });

  it('pointBiserial is Pearson r from the sums, null without variance or with fewer than two answers', () => {
    expect(pointBiserial({ n: 4, x: 2, y: 8, xy: 5, xx: 2, yy: 18 })).toBeCloseTo(Math.SQRT1_2, 10);
    expect(pointBiserial({ n: 1, x: 1, y: 3, xy: 3, xx: 1, yy: 9 })).toBeNull();
    expect(pointBiserial({ n: 3, x: 3, y: 6, xy: 6, xx: 3, yy: 14 })).toBeNull();
  });
});
