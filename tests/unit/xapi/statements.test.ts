import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import type { LearningEvent } from '../../../src/domain/xapi/events.js';
import {
  activityIds,
  type StatementOptions,
  statementFor,
  VERBS,
} from '../../../src/domain/xapi/statements.js';
import { statementProblems } from '../../helpers/xapi-statement.js';

const BASE = 'https://training.example.com';
const at = new Date('2026-03-02T09:30:00.000Z');
const cycleId = 'u-1:social-media-policy:1';

let course: Course;
let options: StatementOptions;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
  options = {
    baseUrl: `${BASE}/`,
    actor: 'account',
    person: { id: 'u-1', email: 'ana@example.com', name: 'Ana' },
    course,
  };
});

const base = { userId: 'u-1', courseId: 'social-media-policy', at, cycleId };
function everyKind(c: Course): LearningEvent[] {
  const lesson = c.lessons[1];
  const example = c.examples[0];
  const question = c.questions[0];
  if (!lesson || !example || !question) throw new Error('course too small for the test');
  return [
    { ...base, kind: 'launched', key: cycleId, language: 'en' },
    { ...base, kind: 'lessonCompleted', key: `${cycleId}:${lesson.id}`, lessonId: lesson.id },
    {
      ...base,
      kind: 'exampleClassified',
      key: `u-1:smp:${example.id}`,
      exampleId: example.id,
      response: 'ask-first',
      correct: false,
    },
    {
      ...base,
      kind: 'answered',
      key: `${cycleId}:1:${question.id}`,
      attemptId: `${cycleId}:1`,
      questionId: question.id,
      response: ['a', 'c'],
      correct: true,
    },
    {
      ...base,
      kind: 'quizFinished',
      key: `${cycleId}:1`,
      attemptId: `${cycleId}:1`,
      scaled: 0.875,
      passed: true,
    },
    {
      ...base,
      kind: 'quizFinished',
      key: `${cycleId}:2`,
      attemptId: `${cycleId}:2`,
      scaled: 0.5,
      passed: false,
    },
    { ...base, kind: 'attested', key: `${cycleId}:attested`, policyVersion: '3', language: 'es' },
    { ...base, kind: 'certificateEarned', key: 'CERT-7Q2K', certificateCode: 'CERT-7Q2K' },
  ];
}

describe('statementFor', () => {
  it('builds a valid xAPI 1.0.3 statement for every kind of event, with and without the course', () => {
    for (const event of everyKind(course)) {
      expect(statementProblems(statementFor(event, options)), event.kind).toEqual([]);
      expect(statementProblems(statementFor(event, { ...options, course: undefined })), event.kind).toEqual(
        [],
      );
    }
  });

  it('uses the registered verb IRIs', () => {
    const verbs = everyKind(course).map((e) => statementFor(e, options).verb.id);
    expect(verbs).toEqual([
      'http://adlnet.gov/expapi/verbs/launched',
      'http://adlnet.gov/expapi/verbs/completed',
      'http://adlnet.gov/expapi/verbs/answered',
      'http://adlnet.gov/expapi/verbs/answered',
      'http://adlnet.gov/expapi/verbs/passed',
      'http://adlnet.gov/expapi/verbs/failed',
      'http://activitystrea.ms/schema/1.0/agree',
      'http://id.tincanapi.com/verb/earned',
    ]);
    expect(VERBS.launched.display['en-US']).toBe('launched');
  });

  it('derives the id from the event kind and key: the same record always gives the same statement id', () => {
    const [launched, lesson] = everyKind(course);
    if (!launched || !lesson) throw new Error('no events');
    const id = statementFor(launched, options).id;
    expect(statementFor({ ...launched, at: new Date() }, options).id).toBe(id);
    expect(statementFor({ ...launched, key: `${cycleId}x` }, options).id).not.toBe(id);
    expect(statementFor({ ...lesson, key: launched.key }, options).id).not.toBe(id);
    // Two installations sending to one LRS never collide on the same natural key.
    expect(statementFor(launched, { ...options, baseUrl: 'https://other.example.com' }).id).not.toBe(id);
  });

  it('identifies the learner by account on the app by default (no name), by mbox only when asked', () => {
    const [launched] = everyKind(course);
    if (!launched) throw new Error('no events');
    // By account the LRS learns an opaque id only: the name stays in the app (review 27-3).
    expect(statementFor(launched, options).actor).toEqual({
      objectType: 'Agent',
      account: { homePage: BASE, name: 'u-1' },
    });
    expect(statementFor(launched, { ...options, actor: 'mbox' }).actor).toEqual({
      objectType: 'Agent',
      name: 'Ana',
      mbox: 'mailto:ana@example.com',
    });
    // No e-mail known: the account, never an invalid mbox.
    const noEmail = { ...options, actor: 'mbox' as const, person: { id: 'u-1' } };
    expect(statementFor(launched, noEmail).actor).toEqual({
      objectType: 'Agent',
      account: { homePage: BASE, name: 'u-1' },
    });
  });

  it('builds stable activity ids from BASE_URL and the course ids, with names in the course language', () => {
    const [launched, lesson, example, answered, passed, , attested, certificate] = everyKind(course).map(
      (e) => statementFor(e, options),
    );
    const courseIri = `${BASE}/xapi/activities/course/social-media-policy`;
    expect(launched?.object).toEqual({
      objectType: 'Activity',
      id: courseIri,
      definition: { type: 'http://adlnet.gov/expapi/activities/course', name: { en: course.title } },
    });
    expect(lesson?.object.id).toBe(
      `${BASE}/xapi/activities/lesson/social-media-policy/${course.lessons[1]?.id}`,
    );
    expect(lesson?.object.definition?.name).toEqual({ en: course.lessons[1]?.title });
    expect(example?.object.id).toBe(
      `${BASE}/xapi/activities/example/social-media-policy/${course.examples[0]?.id}`,
    );
    expect(answered?.object.id).toBe(
      `${BASE}/xapi/activities/question/social-media-policy/${course.questions[0]?.id}`,
    );
    expect(passed?.object.id).toBe(`${BASE}/xapi/activities/attempt/u-1%3Asocial-media-policy%3A1%3A1`);
    expect(attested?.object.id).toBe(`${BASE}/xapi/activities/policy/social-media-policy/3`);
    expect(certificate?.object.id).toBe(`${BASE}/xapi/activities/certificate/social-media-policy`);
    for (const s of [lesson, example, answered, passed, attested, certificate])
      expect(s?.context?.contextActivities?.grouping ?? s?.context?.contextActivities?.parent).toContainEqual(
        { id: courseIri },
      );
    expect(activityIds(BASE).course('c')).toBe(`${BASE}/xapi/activities/course/c`);
  });

  it('describes questions and examples as interactions without their answer key', () => {
    const [, , example, answered] = everyKind(course).map((e) => statementFor(e, options));
    for (const s of [example, answered]) {
      expect(s?.object.definition?.type).toBe('http://adlnet.gov/expapi/activities/cmi.interaction');
      expect(s?.object.definition?.interactionType).toBeDefined();
      expect(JSON.stringify(s?.object.definition)).not.toContain('correctResponsesPattern');
    }
    expect(answered?.result).toEqual({ success: true, response: 'a[,]c' });
    expect(answered?.context?.contextActivities?.parent).toEqual([
      { id: `${BASE}/xapi/activities/attempt/u-1%3Asocial-media-policy%3A1%3A1` },
    ]);
    expect(example?.result).toEqual({ success: false, response: 'ask-first' });
  });

  it('reports score, success and completion for a graded quiz, completion for a lesson, the verify page for a certificate only by e-mail', () => {
    const [, lesson, , , passed, failed] = everyKind(course).map((e) => statementFor(e, options));
    expect(passed?.result).toEqual({ score: { scaled: 0.875 }, success: true, completion: true });
    expect(failed?.result).toEqual({ score: { scaled: 0.5 }, success: false, completion: true });
    expect(lesson?.result).toEqual({ completion: true });
    // The verify page shows the holder's name: sent only when the admin chose to identify by e-mail.
    const certificate = statementFor(everyKind(course)[7]!, options);
    expect(certificate.result).toBeUndefined();
    expect(JSON.stringify(certificate)).not.toContain('/verify/');
    const byMail = statementFor(everyKind(course)[7]!, { ...options, actor: 'mbox' });
    expect(byMail.result).toEqual({
      extensions: { [`${BASE}/xapi/extensions/verify-url`]: `${BASE}/verify/CERT-7Q2K` },
    });
  });

  it('carries the cycle as registration, the language and the event time', () => {
    const [launched, , , , , , attested] = everyKind(course).map((e) => statementFor(e, options));
    expect(launched?.context?.registration).toMatch(/^[0-9a-f-]{36}$/);
    expect(attested?.context?.registration).toBe(launched?.context?.registration);
    expect(launched?.context?.language).toBe('en');
    expect(attested?.context?.language).toBe('es');
    const lesson = statementFor(everyKind(course)[1]!, options);
    expect(lesson.context?.language).toBe(course.language ?? 'en');
    expect(
      statementFor(everyKind(course)[1]!, { ...options, course: undefined }).context?.language,
    ).toBeUndefined();
    expect(launched?.timestamp).toBe('2026-03-02T09:30:00.000Z');
    const [first] = everyKind(course);
    if (!first) throw new Error('no events');
    const { cycleId: _omitted, ...noCycle } = first;
    expect(statementFor(noCycle as LearningEvent, options).context?.registration).toBeUndefined();
  });
});

describe('statementProblems (the test-side check of the xAPI rules)', () => {
  it('finds what the spec forbids', () => {
    const [launched, , , , passed] = everyKind(course).map((e) => statementFor(e, options));
    if (!launched || !passed) throw new Error('no statements');
    const twoIds = { ...launched, actor: { ...launched.actor, mbox: 'mailto:a@example.com' } };
    expect(statementProblems(twoIds)).toEqual(['actor has 2 identifiers, exactly one is required']);
    expect(statementProblems({ ...passed, result: { score: { scaled: 87.5 } } })).toEqual([
      'result.score.scaled is not in [-1, 1]',
    ]);
    expect(statementProblems({ ...launched, id: 'u-1:1', timestamp: 'yesterday' })).toEqual([
      'id is not a UUID',
      'timestamp is not ISO 8601',
    ]);
    expect(statementProblems({ ...launched, object: { id: 'social-media-policy' } })).toEqual([
      'object.id is not an IRI',
    ]);
  });
});
