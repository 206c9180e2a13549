/**
 * What the LMS stores at the end, not only what the SCO sends. Real LMSs take the pass mark from the
 * manifest and apply it themselves: a SCORM 1.2 LMS that finds `adlcp:masteryscore` overrides the
 * SCO's lesson_status at LMSFinish with passed/failed from score.raw (Moodle's scorm_12.js does; so
 * does scorm-again with its default `mastery_override`, which this stand-in relies on, with the
 * `credit`/`normal` mode that rule requires). The "incomplete on fail" variant must survive that.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../src/content/index.js';
import type { Course } from '../../src/domain/course.js';
import { buildScormPackage, type FailStatus, type ScormFormat } from '../../src/scorm/index.js';
import { launchChromium } from '../helpers/browser.js';
import {
  answerQuiz,
  cmiData,
  launch,
  OTHER_PLACEMENTS,
  type Placement,
  type PlayerServer,
  startPlayerServer,
  unzip,
} from './scorm-harness.js';

let course: Course;
let browser: Browser;
const servers: PlayerServer[] = [];

beforeAll(async () => {
  course = await loadCourse(`${defaultCoursesDir}/social-media-policy`);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

/** What an LMS hands the SCO at launch, read from the package's own manifest as an LMS reads it. */
function launchDataFromManifest(format: ScormFormat, manifest: string) {
  if (format === 'scorm12') {
    const mastery = /<adlcp:masteryscore>([^<]*)<\/adlcp:masteryscore>/.exec(manifest)?.[1];
    return {
      core: { credit: 'credit', lesson_mode: 'normal' },
      ...(mastery === undefined ? {} : { student_data: { mastery_score: mastery } }),
    };
  }
  const measure = /<imsss:minNormalizedMeasure>([^<]*)<\/imsss:minNormalizedMeasure>/.exec(manifest)?.[1];
  return {
    credit: 'credit',
    mode: 'normal',
    ...(measure === undefined ? {} : { scaled_passing_score: measure }),
  };
}

/** Opens the package in the LMS stand-in, takes the quiz (all right or all wrong) and finishes. */
async function storedRecord(
  format: ScormFormat,
  failStatus: FailStatus,
  pass: boolean,
  where: Placement = {},
) {
  const files = await unzip(await buildScormPackage(course, { format, failStatus }));
  const server = await startPlayerServer(files, format);
  servers.push(server);
  const page: Page = await browser.newPage();
  try {
    const preload = launchDataFromManifest(format, files.get('imsmanifest.xml')!.toString());
    const sco = await launch(page, server.base, { preload, ...where });
    await sco.click('a[data-goto="quiz"]');
    await answerQuiz(sco, course, () => pass);
    await sco.click('#quiz-submit');
    await sco.waitForSelector('#result-summary');
    await sco.click('#sco-finish');
    await sco.waitForSelector('#sco-ended:not([hidden])');
    return (await cmiData(page)).cmi;
  } finally {
    await page.close();
  }
}

describe('SCORM 1.2: the record the LMS stores after applying the mastery score at LMSFinish', () => {
  it('the LMS stand-in does apply the rule: "incomplete" with a raw score under the mastery score is stored as "failed"', async () => {
    const server = await startPlayerServer(new Map(), 'scorm12');
    servers.push(server);
    const page = await browser.newPage();
    try {
      await page.goto(`${server.base}/player.html`);
      const stored = await page.evaluate(() => {
        // biome-ignore lint/suspicious/noExplicitAny: scorm-again's global, loaded by the player page
        const api = new (window as any).Scorm12API({ autocommit: false, lmsCommitUrl: false });
        api.loadFromJSON(
          { core: { credit: 'credit', lesson_mode: 'normal' }, student_data: { mastery_score: '80' } },
          '',
        );
        api.LMSInitialize('');
        api.LMSSetValue('cmi.core.score.raw', '40');
        api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
        api.LMSFinish('');
        return api.renderCMIToJSONObject().cmi.core.lesson_status;
      });
      expect(stored).toBe('failed');
    } finally {
      await page.close();
    }
  });

  it.each([
    ['failed', false, 'failed'],
    ['incomplete', false, 'incomplete'],
    ['failed', true, 'passed'],
    ['incomplete', true, 'passed'],
  ] as const)('fail-status %s, learner passes: %s → lesson_status %s', async (failStatus, pass, stored) => {
    const cmi = await storedRecord('scorm12', failStatus, pass);
    expect(cmi.core.lesson_status).toBe(stored);
    // The score is still recorded for reports, whichever status the variant gives.
    expect(cmi.core.score.raw).not.toBe('');
  });

  it.each(OTHER_PLACEMENTS)(
    'fail-status incomplete, learner fails, in %s → lesson_status incomplete',
    async (_n, where) => {
      const cmi = await storedRecord('scorm12', 'incomplete', false, where);
      expect(cmi.core.lesson_status).toBe('incomplete');
    },
  );
});

describe('SCORM 2004: the record the LMS stores with the scaled passing score from the manifest', () => {
  it.each([
    ['failed', false, 'completed', 'failed'],
    ['incomplete', false, 'incomplete', 'unknown'],
    ['failed', true, 'completed', 'passed'],
    ['incomplete', true, 'completed', 'passed'],
  ] as const)(
    'fail-status %s, learner passes: %s → %s / %s',
    async (failStatus, pass, completion, success) => {
      const cmi = await storedRecord('scorm2004', failStatus, pass);
      expect(cmi.completion_status).toBe(completion);
      expect(cmi.success_status).toBe(success);
    },
  );
});
