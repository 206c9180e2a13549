import { v5 as uuidv5 } from 'uuid';
import { type Course, exampleById, lessonById, type Question, questionById } from '../course.js';
import type { LearningEvent } from './events.js';

/**
 * The xAPI 1.0.3 statement for a learning event (#27). Pure: the same event and options give the
 * same statement, id included, so the outbox can insert it once and resend it safely.
 *
 * Verbs are registered IRIs: ADL's (launched, completed, answered, passed, failed), Activity
 * Streams' `agree` for an attestation (the learner agreed to the policy; the xAPI registry's
 * "agreed"), and the Tin Can registry's `earned` for a certificate (what LRS dashboards such as
 * Open edX Aspects read as "earned a certificate"; no ADL verb says it).
 */
export const VERBS = {
  launched: verb('http://adlnet.gov/expapi/verbs/launched', 'launched'),
  completed: verb('http://adlnet.gov/expapi/verbs/completed', 'completed'),
  answered: verb('http://adlnet.gov/expapi/verbs/answered', 'answered'),
  passed: verb('http://adlnet.gov/expapi/verbs/passed', 'passed'),
  failed: verb('http://adlnet.gov/expapi/verbs/failed', 'failed'),
  agreed: verb('http://activitystrea.ms/schema/1.0/agree', 'agreed'),
  earned: verb('http://id.tincanapi.com/verb/earned', 'earned'),
} as const;

const ACTIVITY_TYPES = {
  course: 'http://adlnet.gov/expapi/activities/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  policy: 'http://id.tincanapi.com/activitytype/document',
  certificate: 'http://id.tincanapi.com/activitytype/certificate',
} as const;

/** Fixed forever: changing it gives every statement and registration a new id. */
const ID_NAMESPACE = '3f0c2f4e-6f7b-4f0e-9f43-5c1d2b7a9e61';

export interface StatementOptions {
  /** The app's BASE_URL: activity ids and the account's homePage are built from it. */
  baseUrl: string;
  /** How the learner is identified: by their account on this app (default) or by e-mail. */
  actor: 'account' | 'mbox';
  person: { id: string; email?: string; name?: string };
  /** The course as served to the learner: names in its language, question types. Absent: ids only. */
  course?: Course;
}

type LanguageMap = Record<string, string>;
interface Activity {
  objectType: 'Activity';
  id: string;
  definition?: {
    type: string;
    name?: LanguageMap;
    interactionType?: 'choice' | 'other';
    choices?: Array<{ id: string; description: LanguageMap }>;
  };
}
interface ContextActivities {
  parent?: Array<{ id: string }>;
  grouping?: Array<{ id: string }>;
}
export interface XapiStatement {
  id: string;
  actor: { objectType: 'Agent'; name?: string; mbox?: string; account?: { homePage: string; name: string } };
  verb: { id: string; display: LanguageMap };
  object: Activity;
  result?: {
    score?: { scaled: number };
    success?: boolean;
    completion?: boolean;
    response?: string;
    extensions?: Record<string, string>;
  };
  context?: { registration?: string; language?: string; contextActivities?: ContextActivities };
  timestamp: string;
}

function verb(id: string, display: string) {
  return { id, display: { 'en-US': display } };
}

/** The activity ids, one pattern per thing a learner meets; each path segment URI-encoded. */
export function activityIds(baseUrl: string) {
  const origin = baseUrl.replace(/\/+$/, '');
  const at = (...segments: string[]) =>
    `${origin}/xapi/activities/${segments.map(encodeURIComponent).join('/')}`;
  return {
    course: (courseId: string) => at('course', courseId),
    lesson: (courseId: string, lessonId: string) => at('lesson', courseId, lessonId),
    example: (courseId: string, exampleId: string) => at('example', courseId, exampleId),
    question: (courseId: string, questionId: string) => at('question', courseId, questionId),
    attempt: (attemptId: string) => at('attempt', attemptId),
    policy: (courseId: string, policyVersion: string) => at('policy', courseId, policyVersion),
    certificate: (courseId: string) => at('certificate', courseId),
    /** The public page confirming one certificate (services/records verifyUrl). */
    verifyPage: (code: string) => `${origin}/verify/${encodeURIComponent(code)}`,
    extension: (name: string) => `${origin}/xapi/extensions/${name}`,
  };
}

export function statementFor(event: LearningEvent, options: StatementOptions): XapiStatement {
  const base = options.baseUrl.replace(/\/+$/, '');
  const ids = activityIds(base);
  const what = describe(event, options.course, ids, options.actor === 'mbox');
  const registration = event.cycleId ? uuidv5(`${base}|cycle|${event.cycleId}`, ID_NAMESPACE) : undefined;
  const language =
    event.kind === 'launched' || event.kind === 'attested' ? event.language : options.course?.language;
  const context = {
    ...(registration ? { registration } : {}),
    ...(language ? { language } : {}),
    ...(what.contextActivities ? { contextActivities: what.contextActivities } : {}),
  };
  return {
    id: uuidv5(`${base}|${event.kind}|${event.key}`, ID_NAMESPACE),
    actor: actorFor(base, options),
    verb: what.verb,
    object: what.object,
    ...(what.result ? { result: what.result } : {}),
    ...(Object.keys(context).length > 0 ? { context } : {}),
    timestamp: event.at.toISOString(),
  };
}

/**
 * By account (the default) the LRS gets an opaque user id and nothing that names the learner: no
 * name, no link to a page showing it. The name goes only with the e-mail, when the admin chose
 * to identify learners by it.
 */
function actorFor(base: string, options: StatementOptions): XapiStatement['actor'] {
  const { person } = options;
  if (options.actor === 'mbox' && person.email) {
    const name = person.name ? { name: person.name } : {};
    return { objectType: 'Agent', ...name, mbox: `mailto:${person.email}` };
  }
  return { objectType: 'Agent', account: { homePage: base, name: person.id } };
}

interface Described {
  verb: XapiStatement['verb'];
  object: Activity;
  result?: XapiStatement['result'];
  contextActivities?: ContextActivities;
}

function describe(
  event: LearningEvent,
  course: Course | undefined,
  ids: ReturnType<typeof activityIds>,
  identified: boolean,
): Described {
  const lang = course?.language ?? 'en';
  const named = (text: string | undefined) => (text ? { name: { [lang]: text } } : {});
  const activity = (id: string, type: string, name?: string): Activity => ({
    objectType: 'Activity',
    id,
    definition: { type, ...named(name) },
  });
  const inCourse = { parent: [{ id: ids.course(event.courseId) }] };
  switch (event.kind) {
    case 'launched':
      return {
        verb: VERBS.launched,
        object: activity(ids.course(event.courseId), ACTIVITY_TYPES.course, course?.title),
      };
    case 'lessonCompleted': {
      const title = course && lessonById(course, event.lessonId)?.title;
      const object = activity(ids.lesson(event.courseId, event.lessonId), ACTIVITY_TYPES.lesson, title);
      return { verb: VERBS.completed, object, result: { completion: true }, contextActivities: inCourse };
    }
    case 'exampleClassified': {
      const example = course && exampleById(course, event.exampleId);
      const object = interaction(
        ids.example(event.courseId, event.exampleId),
        'choice',
        named(example && excerpt(example.text)),
      );
      const result = { success: event.correct, response: event.response };
      return { verb: VERBS.answered, object, result, contextActivities: inCourse };
    }
    case 'answered': {
      const question = course && questionById(course, event.questionId);
      const object = questionActivity(ids.question(event.courseId, event.questionId), question, lang);
      const result = { success: event.correct, response: event.response.join('[,]') };
      const contextActivities = {
        parent: [{ id: ids.attempt(event.attemptId) }],
        grouping: [{ id: ids.course(event.courseId) }],
      };
      return { verb: VERBS.answered, object, result, contextActivities };
    }
    case 'quizFinished': {
      const object = activity(ids.attempt(event.attemptId), ACTIVITY_TYPES.assessment, course?.title);
      const result = { score: { scaled: event.scaled }, success: event.passed, completion: true };
      return {
        verb: event.passed ? VERBS.passed : VERBS.failed,
        object,
        result,
        contextActivities: inCourse,
      };
    }
    case 'attested': {
      const id = ids.policy(event.courseId, event.policyVersion);
      const object = activity(id, ACTIVITY_TYPES.policy, course?.policyTitle);
      return { verb: VERBS.agreed, object, contextActivities: inCourse };
    }
    case 'certificateEarned': {
      const object = activity(ids.certificate(event.courseId), ACTIVITY_TYPES.certificate, course?.title);
      // The holder's own certificate is the public page that confirms it (printed on the PDF). That
      // page shows the holder's name, so it goes only where the learner is identified by e-mail.
      if (!identified) return { verb: VERBS.earned, object, contextActivities: inCourse };
      const result = { extensions: { [ids.extension('verify-url')]: ids.verifyPage(event.certificateCode) } };
      return { verb: VERBS.earned, object, result, contextActivities: inCourse };
    }
  }
}

/** A post's opening words: enough to recognise it in an LRS report. */
function excerpt(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 79).trimEnd()}…`;
}

function interaction(
  id: string,
  interactionType: 'choice' | 'other',
  name: { name?: LanguageMap },
  choices?: Array<{ id: string; description: LanguageMap }>,
): Activity {
  return {
    objectType: 'Activity',
    id,
    definition: {
      type: ACTIVITY_TYPES.interaction,
      ...name,
      interactionType,
      ...(choices ? { choices } : {}),
    },
  };
}

/**
 * A quiz question as an interaction: its prompt and its choices (ids and text), never which are
 * right (the LRS is not the place for the answer key). A classify answer is a verdict plus a
 * reason, which no single xAPI interaction type describes: `other`.
 */
function questionActivity(id: string, question: Question | undefined, lang: string): Activity {
  if (!question) return interaction(id, 'choice', {});
  const name = { name: { [lang]: question.prompt } };
  if (question.type === 'classify') return interaction(id, 'other', name);
  const options = question.type === 'spot' ? question.segments : question.options;
  const choices = options.map((o) => ({ id: o.id, description: { [lang]: o.text } }));
  return interaction(id, 'choice', name, choices);
}
