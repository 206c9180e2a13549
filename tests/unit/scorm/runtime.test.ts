import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import { choiceIdsOf } from '../../../src/domain/quiz/draw.js';
import {
  scorm12Duration,
  scorm12Time,
  scorm2004Duration,
  scorm2004Timestamp,
} from '../../../src/scorm/runtime/cmi-format.js';
import { interactionFor } from '../../../src/scorm/runtime/interactions.js';
import { decodeData, encodeData } from '../../../src/scorm/runtime/obfuscate.js';
import { decodeState, encodeState, initialState, type ScoState } from '../../../src/scorm/runtime/state.js';

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

describe('suspend_data bookmark', () => {
  /** Every lesson seen, every example classified, the last attempt, every answer maximal. */
  function worstCase(c: Course): ScoState {
    const widest = [...c.questions].sort((a, b) => choiceIdsOf(b).length - choiceIdsOf(a).length)[0]!;
    const everyChoice = choiceIdsOf(widest).map((_, i) => i);
    return {
      view: `l${c.lessons.length - 1}`,
      lessonsSeen: c.lessons.map(() => true),
      examples: c.examples.map(() => 'unacceptable' as const),
      attempt: 999,
      seed: (2 ** 32 - 1).toString(36),
      answers: Array.from({ length: c.questions.length }, () => ({
        choices: everyChoice,
        verdict: 'unacceptable' as const,
      })),
      submitted: true,
    };
  }

  it('stays under the SCORM 1.2 limit of 4,096 characters in the worst case for the real course', () => {
    // Even with the whole bank served (more than questionsPerAttempt), every answer given.
    const state = worstCase(course);
    const encoded = encodeState(state);
    expect(encoded.length).toBeLessThan(4096);
    expect(state.answers.length).toBeGreaterThanOrEqual(course.quiz.questionsPerAttempt);
    expect(decodeState(encoded, course.lessons.length, course.examples.length)).toEqual(state);
  });

  it('round-trips a partly finished state, including unanswered questions', () => {
    const state: ScoState = {
      ...initialState(course.lessons.length, course.examples.length),
      view: 'quiz',
      attempt: 2,
      seed: 'abc123',
      answers: [
        { choices: [1] },
        null,
        { choices: [0], verdict: 'acceptable' },
        { choices: [], verdict: 'unacceptable' },
      ],
    };
    state.lessonsSeen[2] = true;
    state.examples[4] = 'acceptable';
    expect(decodeState(encodeState(state), course.lessons.length, course.examples.length)).toEqual(state);
  });

  it('bookmarks an ask-first verdict, for an example and a classify answer', () => {
    const state: ScoState = {
      ...initialState(course.lessons.length, course.examples.length),
      view: 'quiz',
      attempt: 1,
      seed: 'k9',
      answers: [{ choices: [2], verdict: 'ask-first' }, { choices: [], verdict: 'ask-first' }, null],
    };
    state.examples[0] = 'ask-first';
    state.examples[1] = 'unacceptable';
    state.examples[2] = 'acceptable';
    expect(decodeState(encodeState(state), course.lessons.length, course.examples.length)).toEqual(state);
  });

  it('still reads a bookmark saved before ask-first existed', () => {
    // Written by the previous runtime: 3 lessons, examples a/u/unanswered, one classify answer.
    const old = '1|quiz|110|au-|1|abc|01a00-|0';
    expect(decodeState(old, 3, 3)).toEqual({
      view: 'quiz',
      lessonsSeen: [true, true, false],
      examples: ['acceptable', 'unacceptable', null],
      attempt: 1,
      seed: 'abc',
      answers: [{ choices: [0], verdict: 'acceptable' }, null],
      submitted: false,
    });
  });

  it('starts fresh (null) on a damaged or foreign bookmark', () => {
    for (const bad of ['', 'garbage', '2|l0|1|-|0|0||0', '1|../x|1|-|0|0||0', '1|quiz|1|-|0|0|ab|0']) {
      expect(decodeState(bad, 8, 19)).toBeNull();
    }
  });
});

describe('CMI value formats', () => {
  it('writes SCORM 1.2 session time as HHHH:MM:SS.SS', () => {
    expect(scorm12Duration(0)).toBe('0000:00:00.00');
    expect(scorm12Duration(90_500)).toBe('0000:01:30.50');
    expect(scorm12Duration(3 * 3600_000 + 5_004)).toBe('0003:00:05.00');
  });

  it('writes SCORM 2004 session time as an ISO 8601 duration with at most 2 decimals', () => {
    expect(scorm2004Duration(0)).toBe('PT0S');
    expect(scorm2004Duration(90_500)).toBe('PT1M30.5S');
    expect(scorm2004Duration(3600_000 + 123)).toBe('PT1H0.12S');
    expect(scorm2004Duration(7200_000)).toBe('PT2H');
  });

  it('writes 2004 timestamps with two fractional digits (toISOString has three)', () => {
    const at = new Date('2026-03-02T09:05:07.891Z');
    expect(scorm2004Timestamp(at)).toBe('2026-03-02T09:05:07.89Z');
    expect(scorm12Time(new Date(2026, 2, 2, 9, 5, 7))).toBe('09:05:07');
  });
});

describe('interactions', () => {
  it('uses single characters and "wrong" for 1.2, identifiers and "incorrect" for 2004', () => {
    const multiple = course.questions.find((q) => q.type === 'multiple')!;
    const classify = course.questions.find((q) => q.type === 'classify')!;
    const truefalse = course.questions.find((q) => q.type === 'truefalse')!;
    const answer = { choiceIds: choiceIdsOf(multiple).slice(0, 2) };
    expect(interactionFor('scorm12', multiple, answer, 0)).toMatchObject({
      type: 'choice',
      response: 'a,b',
      result: 'wrong',
    });
    expect(interactionFor('scorm2004', multiple, answer, 0)).toMatchObject({
      response: `${answer.choiceIds[0]}[,]${answer.choiceIds[1]}`,
      result: 'incorrect',
    });
    const reason = classify.type === 'classify' ? classify.reasons.find((r) => r.correct)!.id : '';
    const given = { verdict: 'unacceptable' as const, choiceIds: [reason] };
    expect(interactionFor('scorm12', classify, given, 1).response).toMatch(/^1,[a-z]$/);
    expect(interactionFor('scorm12', classify, given, 1).result).toBe('correct');
    expect(interactionFor('scorm12', truefalse, { choiceIds: ['false'] }, 1)).toMatchObject({
      type: 'true-false',
      response: 'f',
    });
    expect(interactionFor('scorm2004', truefalse, { choiceIds: ['true'] }, 0).response).toBe('true');
  });

  it('records each of the three verdicts distinctly in both versions', () => {
    const classify = course.questions.find((q) => q.type === 'classify')!;
    const reason = choiceIdsOf(classify)[0]!;
    const response = (
      format: 'scorm12' | 'scorm2004',
      verdict: 'acceptable' | 'ask-first' | 'unacceptable',
    ) => interactionFor(format, classify, { verdict, choiceIds: [reason] }, 0).response;
    expect(
      ['acceptable', 'unacceptable', 'ask-first'].map((v) => response('scorm12', v as 'acceptable')),
    ).toEqual(['0,a', '1,a', '2,a']);
    expect(response('scorm2004', 'ask-first')).toBe(`ask-first[,]${reason}`);
  });
});

describe('bank obfuscation', () => {
  it('round-trips with the key and is not readable without it', () => {
    const data = { text: 'Right. It’s about work 💧', correct: true };
    const encoded = encodeData(data, 'k3y');
    expect(encoded).not.toContain('correct');
    expect(decodeData(encoded, 'k3y')).toEqual(data);
    expect(() => decodeData(encoded, 'other')).toThrow();
  });
});
