import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import { activityIds, VERBS } from '../../src/domain/xapi/statements.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { attestFormFields } from '../helpers/attest-form.js';
import { commandsDuring, monitoredUri } from '../helpers/db-commands.js';
import { type Ralph, startRalph, type XapiStatement } from '../helpers/ralph.js';
import { statementProblems } from '../helpers/xapi-statement.js';
import { answerForm, loadAttempt, newLearner, start } from './quiz-support.js';

/**
 * A learner's journey through the web app produces exactly the expected xAPI statements in a real
 * LRS (#27): launched once, each lesson completed, the example answered, each quiz question
 * answered, passed, agreed to the policy, earned the certificate. Double submits add nothing.
 */
let t: TestApp;
let ralph: Ralph;
let course: Course;

beforeAll(async () => {
  ralph = await startRalph();
  t = await createTestApp({
    label: 'xapi-journey',
    mongoUri: monitoredUri(inject('mongoUri')),
    config: { XAPI_ALLOWED_HOSTS: '127.0.0.1' },
  });
  course = t.app.courses.get(COURSE_ID)!;
}, 60_000);
afterAll(async () => {
  await t?.close();
  await ralph?.stop();
});

/** Turns the LRS setting on through the xAPI service, identifying learners as `actor` says. */
async function useLrs(actor: 'account' | 'mbox') {
  await t.app.services.xapi.saveSettings({
    actorId: (await t.app.db.models.User.findOne({ role: 'admin' }).lean())!._id,
    input: { enabled: true, endpoint: ralph.endpoint, key: ralph.username, secret: ralph.password, actor },
    now: t.clock.now(),
  });
}

/** Runs the sender until the outbox has nothing left to send now. */
async function sendAll() {
  for (let i = 0; i < 20; i++) {
    const sent = await t.app.services.xapi.sendXapiBatch({ now: t.clock.now() });
    if (sent.attempted === 0) return;
  }
  throw new Error('the outbox never emptied');
}

type Row = [verb: string, object: string];
const row = (s: XapiStatement): Row => [(s.verb as { id: string }).id, (s.object as { id: string }).id];
const sortRows = (rows: Row[]) => [...rows].sort((a, b) => `${a}`.localeCompare(`${b}`));

describe('xAPI statements from a learner journey', () => {
  it('sends exactly one statement per thing the learner did, by account, none twice after double submits', async () => {
    await useLrs('account');
    const learner = await newLearner(t.app, 'xapi');
    const name = learner.email.split('@')[0]!;
    const ids = activityIds(t.config.BASE_URL);
    const base = `/learn/${COURSE_ID}`;

    for (const lesson of course.lessons)
      expect((await learner.session.get(`${base}/lessons/${lesson.id}`)).statusCode).toBe(200);
    await learner.session.get(`${base}/lessons/${course.lessons[0]!.id}`);
    const example = course.examples[0]!;
    for (const answer of ['acceptable', 'unacceptable'])
      expect(
        (await learner.session.post(`${base}/examples/${example.id}/classify`, { answer })).statusCode,
      ).toBe(200);

    const n = await start(learner.session, COURSE_ID);
    const attempt = await loadAttempt(t.app, learner.id, COURSE_ID, n);
    // The same filled-in form sent three times: twice at once (a double click), then once more.
    const form = {
      ...answerForm(course, attempt),
      _csrf: await learner.session.csrf(`${base}/quiz/attempts/${n}`),
    };
    const submit = () => learner.session.post(`${base}/quiz/attempts/${n}/submit`, form);
    const [first, second] = await Promise.all([submit(), submit()]);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect((await submit()).statusCode).toBe(303);

    // The attestation form sent twice (a double click): one attestation, one statement.
    const fields = attestFormFields((await learner.session.get(`${base}/attest`)).body);
    const attest = () =>
      learner.session.post(`${base}/attest`, { ...fields, typedName: name, agreed: 'yes' });
    for (const signed of [await attest(), await attest()]) expect(signed.statusCode).toBeLessThan(400);
    await sendAll();

    const statements = await ralph.statements();
    const mine = statements.filter(
      (s) => (s.actor as { account?: { name: string } }).account?.name === learner.id,
    );
    for (const s of mine) expect(statementProblems(stripLrsFields(s))).toEqual([]);
    const attemptIri = ids.attempt(attempt._id);
    expect(sortRows(mine.map(row))).toEqual(
      sortRows([
        [VERBS.launched.id, ids.course(COURSE_ID)],
        ...course.lessons.map((l): Row => [VERBS.completed.id, ids.lesson(COURSE_ID, l.id)]),
        [VERBS.answered.id, ids.example(COURSE_ID, example.id)],
        ...attempt.draw.map((d): Row => [VERBS.answered.id, ids.question(COURSE_ID, d.questionId)]),
        [VERBS.passed.id, attemptIri],
        [VERBS.agreed.id, ids.policy(COURSE_ID, String(course.policyVersion))],
        [VERBS.earned.id, ids.certificate(COURSE_ID)],
      ]),
    );
    expect(new Set(mine.map((s) => s.id)).size).toBe(mine.length);
    for (const s of mine)
      expect(s.actor).toEqual({
        objectType: 'Agent',
        account: { homePage: t.config.BASE_URL, name: learner.id },
      });
    // By account, nothing in a statement names the learner (review 27-3): no name, no verify page.
    expect(JSON.stringify(mine)).not.toContain('/verify/');
    const registrations = new Set(mine.map((s) => (s.context as { registration?: string }).registration));
    expect(registrations.size).toBe(1);
    // The example keeps the learner's first answer; the quiz result its score.
    const answeredExample = mine.find((s) => row(s)[1] === ids.example(COURSE_ID, example.id))!;
    expect(answeredExample.result).toMatchObject({
      response: 'acceptable',
      success: example.verdict === 'acceptable',
    });
    expect(mine.find((s) => row(s)[0] === VERBS.passed.id)!.result).toEqual({
      score: { scaled: 1 },
      success: true,
      completion: true,
    });
  }, 120_000);

  it('queues a graded attempt with one outbox write by account, no person read', async () => {
    await useLrs('account');
    const learner = await newLearner(t.app, 'xapi-budget');
    const base = `/learn/${COURSE_ID}/quiz`;
    const n = await start(learner.session, COURSE_ID);
    const attempt = await loadAttempt(t.app, learner.id, COURSE_ID, n);
    const form = {
      ...answerForm(course, attempt),
      _csrf: await learner.session.csrf(`${base}/attempts/${n}`),
    };
    const scans: string[] = [];
    const commands = await commandsDuring(
      t.app,
      () => learner.session.post(`${base}/attempts/${n}/submit`, form),
      scans,
    );
    const xapi = commands.filter((c) => / (users|xapi_config|xapi_outbox)$/.test(c));
    expect(xapi).toEqual(['insert xapi_outbox']);
    expect(scans).toEqual([]);
    expect(await t.app.db.models.XapiOutbox.countDocuments({ userId: learner.id })).toBe(
      attempt.draw.length + 2,
    );
  }, 60_000);

  it('identifies the learner by e-mail when the admin chooses mbox', async () => {
    await useLrs('mbox');
    const learner = await newLearner(t.app, 'xapi-mbox');
    await learner.session.get(`/learn/${COURSE_ID}/lessons/${course.lessons[0]!.id}`);
    await sendAll();
    const mine = (await ralph.statements()).filter(
      (s) => (s.actor as { mbox?: string }).mbox === `mailto:${learner.email}`,
    );
    expect(sortRows(mine.map(row))).toEqual(
      sortRows([
        [VERBS.launched.id, activityIds(t.config.BASE_URL).course(COURSE_ID)],
        [VERBS.completed.id, activityIds(t.config.BASE_URL).lesson(COURSE_ID, course.lessons[0]!.id)],
      ]),
    );
    for (const s of mine) expect(s.actor).not.toHaveProperty('account');
  }, 60_000);
});

/** The LRS adds `stored`, `authority` and `version`; the app's statement is the rest. */
function stripLrsFields(s: XapiStatement): Record<string, unknown> {
  const { stored: _stored, authority: _authority, version: _version, ...own } = s;
  return own;
}
