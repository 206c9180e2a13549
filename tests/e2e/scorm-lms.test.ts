import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import { apiLog, type CmiInteraction, cmiData, setCalls } from './scorm-harness.js';
import { allButOneRight, openPlayer, outsideRequests, takeQuiz, useScoBrowser } from './scorm-run.js';

let course: Course;
let browser: Browser;
const runs = useScoBrowser((c, b) => {
  course = c;
  browser = b;
});

async function player(format: 'scorm12' | 'scorm2004', failStatus: 'failed' | 'incomplete') {
  const run = await openPlayer(browser, course, format, failStatus);
  runs.push(run);
  return run;
}

const lastIndex = (calls: Array<[string, string]>, element: string) =>
  calls.map((c) => c[0]).lastIndexOf(element);
const lastValue = (calls: Array<[string, string]>, element: string) =>
  calls.filter((c) => c[0] === element).at(-1)?.[1];

describe('SCORM 1.2 package in scorm-again', () => {
  it('records a pass: score before status, one interaction per question, 1.2 formats', async () => {
    const run = await player('scorm12', 'failed');
    const { served, expected, summary } = await takeQuiz(run, course, allButOneRight());
    expect(expected.passed).toBe(true);
    expect(expected.score).toBeLessThan(100);
    expect(summary).toContain(`${expected.score}%`);

    const cmi = (await cmiData(run.page)).cmi;
    expect(cmi.core.lesson_status).toBe('passed');
    expect(cmi.core.score).toMatchObject({ raw: String(expected.score), min: '0', max: '100' });
    expect(cmi.core.exit).toBe('');
    const interactions = Object.values(cmi.interactions) as CmiInteraction[];
    expect(interactions.map((i) => i.id)).toEqual(served);
    expect(interactions.filter((i) => i.result === 'wrong')).toHaveLength(1);
    for (const i of interactions) {
      expect(i.result).toMatch(/^(correct|wrong)$/);
      expect(i.student_response).toMatch(/^([0-9a-z](,[0-9a-z])*)$/);
      expect(i.time).toMatch(/^\d\d:\d\d:\d\d$/);
    }

    const calls = await setCalls(run.page);
    expect(lastIndex(calls, 'cmi.core.score.raw')).toBeLessThan(lastIndex(calls, 'cmi.core.lesson_status'));
    expect(lastValue(calls, 'cmi.core.session_time')).toMatch(/^\d{4}:\d\d:\d\d\.\d\d$/);
    const log = (await apiLog(run.page)).filter((e) => e[0] !== 'set').map((e) => e[0]);
    expect(log[0]).toBe('LMSInitialize');
    expect(log.at(-1)).toBe('LMSFinish');
    expect(log.filter((e) => e === 'LMSFinish')).toHaveLength(1);
    expect(outsideRequests(run)).toEqual([]);
  });

  it.each([
    ['failed', 'failed'],
    ['incomplete', 'incomplete'],
  ] as const)('reports a fail as %s when the package says so', async (failStatus, status) => {
    const run = await player('scorm12', failStatus);
    const { expected } = await takeQuiz(run, course, () => false);
    expect(expected.score).toBe(0);
    const cmi = (await cmiData(run.page)).cmi;
    expect(cmi.core.score.raw).toBe('0');
    expect(cmi.core.lesson_status).toBe(status);
    // Attempts remain, so leaving now is a suspend: the learner can come back and retry.
    expect(cmi.core.exit).toBe('suspend');
    expect((Object.values(cmi.interactions) as CmiInteraction[]).every((i) => i.result === 'wrong')).toBe(
      true,
    );
  });
});

describe('SCORM 2004 package in scorm-again', () => {
  it('records a pass: scaled score before status, one interaction per question, 2004 formats', async () => {
    const run = await player('scorm2004', 'failed');
    const { served, expected } = await takeQuiz(run, course, allButOneRight());
    expect(expected.passed).toBe(true);

    const cmi = (await cmiData(run.page)).cmi;
    expect(cmi.completion_status).toBe('completed');
    expect(cmi.success_status).toBe('passed');
    expect(cmi.score).toMatchObject({
      scaled: String(Math.round(expected.score * 10) / 1000),
      raw: String(expected.score),
      min: '0',
      max: '100',
    });
    expect(cmi.exit).toBe('normal');
    const interactions = Object.values(cmi.interactions) as CmiInteraction[];
    expect(interactions.map((i) => i.id)).toEqual(served);
    expect(interactions.filter((i) => i.result === 'incorrect')).toHaveLength(1);
    for (const i of interactions) {
      expect(i.result).toMatch(/^(correct|incorrect)$/);
      expect(i.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{2}Z$/);
      expect(i.learner_response).not.toBe('');
    }

    const calls = await setCalls(run.page);
    const firstStatus = Math.min(
      lastIndex(calls, 'cmi.success_status'),
      lastIndex(calls, 'cmi.completion_status'),
    );
    expect(lastIndex(calls, 'cmi.score.scaled')).toBeLessThan(firstStatus);
    expect(lastIndex(calls, 'cmi.score.raw')).toBeLessThan(firstStatus);
    expect(lastValue(calls, 'cmi.session_time')).toMatch(/^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/);
    const log = (await apiLog(run.page)).filter((e) => e[0] !== 'set').map((e) => e[0]);
    expect(log[0]).toBe('Initialize');
    expect(log.at(-1)).toBe('Terminate');
    expect(outsideRequests(run)).toEqual([]);
  });

  it('reports a fail as failed (completed + failed)', async () => {
    const run = await player('scorm2004', 'failed');
    await takeQuiz(run, course, () => false);
    const cmi = (await cmiData(run.page)).cmi;
    expect(cmi.score.scaled).toBe('0');
    expect(cmi.completion_status).toBe('completed');
    expect(cmi.success_status).toBe('failed');
    expect(cmi.exit).toBe('suspend');
  });

  it('reports a fail as incomplete when the package says so', async () => {
    const run = await player('scorm2004', 'incomplete');
    await takeQuiz(run, course, () => false);
    const cmi = (await cmiData(run.page)).cmi;
    const calls = await setCalls(run.page);
    expect(lastValue(calls, 'cmi.completion_status')).toBe('incomplete');
    expect(lastValue(calls, 'cmi.success_status')).toBe('unknown');
    expect(cmi.completion_status).toBe('incomplete');
    // Without a scaled score the LMS cannot turn the fail back into "failed" from the passing score.
    expect(cmi.score.scaled).toBe('');
    expect(cmi.score.raw).toBe('0');
    expect(cmi.success_status).toBe('unknown');
  });
});
