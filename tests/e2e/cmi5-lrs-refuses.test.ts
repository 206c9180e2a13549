/**
 * The cmi5 AU when the LMS's LRS refuses statements (#27): 503 (unavailable) while the learner takes
 * the quiz, 400 while they finish. The learner is told plainly that nothing is being saved and is not
 * sent back to the LMS as if it were; once the LRS takes statements again everything arrives, once,
 * in an order that keeps every cmi5 rule.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Cmi5Lms } from '../helpers/cmi5-lms.js';
import { openAu, sessionVerbs, statementsKeepingTheRules, takeQuiz, useCmi5Lms } from './cmi5-run.js';
import { allButOneRight } from './scorm-run.js';

const run = useCmi5Lms('cmi5-lrs-refuses');

const english = (namespace: string) =>
  JSON.parse(readFileSync(`src/i18n/messages/en/${namespace}.json`, 'utf8')) as Record<string, string>;
const NOT_SAVING = english('course')['sco.lmsNotSaving']!;
const SAVING_PENDING = english('scormRuntime')['saving.pending']!;

/** Resolves once the stand-in has answered a statement request with `status` after the `from`-th request. */
async function refusedAfter(lms: Cmi5Lms, from: number, status: number): Promise<void> {
  await expect
    .poll(() => lms.log.slice(from).some((r) => r.path === '/xapi/statements' && r.status === status), {
      timeout: 30_000,
    })
    .toBe(true);
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();
}

describe('cmi5 AU with an LRS that refuses statements', () => {
  it('tells the learner, keeps everything, and delivers it in order once the LRS recovers', async () => {
    const { page, launch } = await openAu(run);
    const initialized = () =>
      run.lms.log.some(
        (r) => r.session === launch.sessionId && r.verbs?.includes('initialized') && r.status === 200,
      );
    await expect.poll(initialized, { timeout: 30_000 }).toBe(true);

    // The LRS is unavailable while the learner passes the quiz: they are told it is not saving.
    run.lms.refuseStatements(503);
    const before503 = run.lms.log.length;
    await takeQuiz(page, run.course, allButOneRight());
    await refusedAfter(run.lms, before503, 503);
    await page.waitForSelector('#lms-saving:not([hidden])', { timeout: 30_000 });
    expect(await text(page, '#lms-saving')).toBe(NOT_SAVING.replace(/\s+/g, ' '));

    // It recovers: the queued statements go through and the warning goes away.
    run.lms.refuseStatements(null);
    await page.waitForSelector('#lms-saving', { state: 'hidden', timeout: 30_000 });

    // It is unavailable again as the learner finishes: the page says it is still saving and stays.
    // (A 400 is an answer retrying cannot change: that statement is dropped, see cmi5-relaunch.)
    run.lms.refuseStatements(503);
    const beforeFinish = run.lms.log.length;
    await page.click('#sco-finish');
    await refusedAfter(run.lms, beforeFinish, 503);
    expect(await text(page, '#sco-ended')).toBe(SAVING_PENDING.replace(/\s+/g, ' '));
    expect(page.url()).toBe(launch.url);

    // Recovered for good: Terminated arrives last, then the learner is back in the LMS.
    run.lms.refuseStatements(null);
    await page.waitForURL(launch.returnURL!, { timeout: 60_000 });
    const statements = await statementsKeepingTheRules(run, launch);
    const verbs = sessionVerbs(statements, launch);
    expect(verbs).toHaveLength(5);
    expect(verbs).toEqual(
      expect.arrayContaining(['launched', 'initialized', 'completed', 'passed', 'terminated']),
    );
    expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length);
    await page.close();
  });
});
