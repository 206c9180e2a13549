import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import { type Course, POST_VERDICTS, type Question } from '../../../src/domain/course.js';
import { choiceIdsOf } from '../../../src/domain/quiz/draw.js';
import { type GivenAnswer, gradeQuestion, rightAnswer } from '../../../src/domain/quiz/grading.js';
import { buildAnswerKey } from '../../../src/scorm/bank.js';
import { buildScormPackage, type ScormFormat } from '../../../src/scorm/index.js';
import { pointsFor } from '../../../src/scorm/runtime/answer-key.js';
import type { ScoConfig } from '../../../src/scorm/runtime/model.js';
import { decodeData } from '../../../src/scorm/runtime/obfuscate.js';
import { unzip } from '../../e2e/scorm-harness.js';

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

/** Every answer the SCO's form can produce for a question, and a few it cannot. */
function everyAnswer(q: Question): GivenAnswer[] {
  const ids = choiceIdsOf(q);
  const sets: string[][] = [];
  for (let mask = 0; mask < 1 << ids.length; mask++) sets.push(ids.filter((_, i) => mask & (1 << i)));
  if (q.type !== 'classify') return sets.map((choiceIds) => ({ choiceIds }));
  return POST_VERDICTS.flatMap((verdict) => sets.map((choiceIds) => ({ verdict, choiceIds })));
}

describe('hashed answer key', () => {
  it('gives exactly the web app’s points for every possible answer to every question', () => {
    let compared = 0;
    for (const q of course.questions) {
      const key = buildAnswerKey(q, `salt-${q.id}`);
      for (const answer of [undefined, ...everyAnswer(q)]) {
        expect(pointsFor(key, answer), `${q.id} ${JSON.stringify(answer)}`).toBe(gradeQuestion(q, answer));
        compared++;
      }
      expect(pointsFor(key, rightAnswer(q))).toBe(1);
    }
    expect(compared).toBeGreaterThan(course.questions.length * 4);
    // Partial credit and classify half points are both exercised by the real course.
    expect(course.questions.some((q) => q.type === 'multiple' && q.partialCredit)).toBe(true);
    expect(course.questions.some((q) => q.type === 'classify')).toBe(true);
  });

  it('orders and repeats of choices do not matter, as in the web app', () => {
    const q = course.questions.find((x) => x.type === 'multiple')!;
    const key = buildAnswerKey(q, 'salt');
    const right = rightAnswer(q).choiceIds;
    expect(pointsFor(key, { choiceIds: [...right].reverse().concat(right) })).toBe(1);
  });

  for (const format of ['scorm12', 'scorm2004'] as ScormFormat[]) {
    it(`${format}: the package carries no correct flags, in clear or behind the old XOR decode`, async () => {
      const files = await unzip(await buildScormPackage(course, { format, failStatus: 'failed' }));
      const js = files.get('sco.js')!.toString();
      const config = JSON.parse(/ScoRuntime\.start\((.*)\);\s*$/s.exec(js)![1]!) as ScoConfig;
      // The one short script that used to recover the key: decode the bank with the key beside it.
      const decoded = JSON.stringify(decodeData(config.bank, config.key));
      for (const text of [js, files.get('index.html')!.toString(), decoded]) {
        expect(text).not.toMatch(/"(correct|problem|partialCredit)"\s*:\s*(true|false)|"feedback"\s*:\s*"/);
        for (const q of course.questions) {
          if (q.type === 'classify') expect(text).not.toContain(`"verdict":"${q.verdict}"`);
          const feedback =
            q.type === 'spot' ? q.segments[0]!.feedback : q.type === 'classify' ? '' : q.options[0]!.feedback;
          if (feedback) expect(text).not.toContain(JSON.stringify(feedback).slice(1, -1));
        }
      }
      // Each question's answers are digests only: nothing in its key names a choice.
      const bank = JSON.parse(decoded) as { answerKeys: Record<string, { points: Record<string, number> }> };
      for (const q of course.questions) {
        const digests = Object.keys(bank.answerKeys[q.id]!.points);
        expect(digests.length).toBeGreaterThan(0);
        for (const d of digests) expect(d).toMatch(/^[0-9a-f]{32}$/);
      }
    });
  }
});

describe('hashed answer key on the scoring rules the real bank may not exercise yet', () => {
  const opt = (id: string, correct: boolean) => ({ id, text: id, correct, feedback: '' });
  const base = { prompt: 'p', clauses: ['C1'], difficulty: 'easy' as const, explanation: '' };
  const post = { platform: 'slack' as const, persona: { name: 'A', role: 'B' }, text: 't' };
  const fixtures: Question[] = [
    // Right ticks minus wrong ticks, with uneven counts (3 right, 2 wrong) so fractions appear.
    {
      ...base,
      id: 'multi-uneven',
      type: 'multiple',
      partialCredit: true,
      options: [opt('a', true), opt('b', true), opt('c', true), opt('d', false), opt('e', false)],
    },
    {
      ...base,
      id: 'multi-strict',
      type: 'multiple',
      partialCredit: false,
      options: [opt('a', true), opt('b', false), opt('c', true)],
    },
    {
      ...base,
      id: 'classify-ask-first',
      type: 'classify',
      post,
      verdict: 'ask-first',
      reasons: [opt('r1', false), opt('r2', false), opt('r3', true), opt('r4', false)],
    },
  ];

  it('gives exactly the web app’s points for every answer, including tick all, tick none and each verdict', () => {
    for (const q of fixtures) {
      const key = buildAnswerKey(q, `salt-${q.id}`);
      for (const answer of [undefined, ...everyAnswer(q)]) {
        expect(pointsFor(key, answer), `${q.id} ${JSON.stringify(answer)}`).toBe(gradeQuestion(q, answer));
      }
    }
    const [uneven, , askFirst] = fixtures.map((q) => buildAnswerKey(q, `salt-${q.id}`));
    expect(pointsFor(uneven!, { choiceIds: ['a', 'b', 'c', 'd', 'e'] })).toBe(0);
    expect(pointsFor(uneven!, { choiceIds: [] })).toBe(0);
    expect(pointsFor(uneven!, { choiceIds: ['a', 'b', 'd'] })).toBeCloseTo(1 / 6, 12);
    expect(pointsFor(askFirst!, { verdict: 'ask-first', choiceIds: ['r3'] })).toBe(1);
    expect(pointsFor(askFirst!, { verdict: 'ask-first', choiceIds: ['r1'] })).toBe(0.5);
    expect(pointsFor(askFirst!, { verdict: 'acceptable', choiceIds: ['r3'] })).toBe(0);
    expect(pointsFor(askFirst!, { verdict: 'unacceptable', choiceIds: ['r3'] })).toBe(0);
  });
});
