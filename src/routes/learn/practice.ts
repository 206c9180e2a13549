import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { type Course, POST_VERDICTS, type PostVerdict } from '../../domain/course.js';
import { postCard } from '../../domain/post-card.js';
import { verdictChoices } from '../../domain/verdict-labels.js';
import {
  itemContent,
  type PracticeAnswer,
  type PracticeState,
  shownOptions,
} from '../../services/learning/practice.js';
import { formBody, Slug } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { clauseList, LEARN_ASSETS } from './format.js';
import { findCourse } from './lookup.js';
import { CourseParams, NoQuery } from './schemas.js';

/**
 * The five-minute spaced practice between cycles (issue #23), linked from the spaced-refresher
 * e-mail: one item at a time, the answer checked on the server, then the feedback and the next item.
 * Nothing of the answer is in the page before the learner answers.
 */

const ItemParams = Type.Object(
  { courseId: Slug, n: Type.String({ pattern: '^[1-9][0-9]?$' }) },
  { additionalProperties: false },
);
const Choice = Type.String({ pattern: '^[0-9]{1,2}$' });
const AnswerBody = formBody({
  answer: Type.Optional(Type.Union(POST_VERDICTS.map((v) => Type.Literal(v)))),
  choice: Type.Optional(Type.Union([Choice, Type.Array(Choice, { maxItems: 12 })])),
});

type PageRequest = FastifyRequest<{ Params: Static<typeof CourseParams> }>;
type AnswerRequest = FastifyRequest<{ Params: Static<typeof ItemParams>; Body: Static<typeof AnswerBody> }>;

const practicePath = (courseId: string) => `/learn/${courseId}/practice`;

/** The item as the page asks it: texts and form values only (never correctness or feedback). */
function askedItem(course: Course, state: Pick<PracticeState, 'session'>, index: number) {
  const item = state.session.items[index]!;
  const content = itemContent(course, item);
  if (content.example) {
    return {
      kind: 'example',
      card: postCard(content.example),
      verdicts: verdictChoices(),
      prompt: null,
      choices: [],
      multiple: false,
    };
  }
  const options = shownOptions(state.session, content.question);
  return {
    kind: 'question',
    card: null,
    verdicts: [],
    prompt: content.question.prompt,
    choices: options.map((o, i) => ({ value: String(i), text: o.text })),
    multiple: content.question.type === 'multiple',
  };
}

/** The feedback after an answer: right or not, why, and the clauses it was about. */
function feedbackOf(course: Course, a: PracticeAnswer, verdict: PostVerdict | undefined) {
  const content = itemContent(course, a.item);
  if (content.example) {
    return {
      correct: a.correct,
      recorded: a.recorded,
      // Verdict values: the page names them in its language (learn.verdict.<value>.label).
      verdict: content.example.verdict,
      answer: verdict ?? null,
      reasons: content.example.reasons,
      right: [],
      explanation: null,
      clauses: clauseList(course, content.example.clauses),
    };
  }
  const options = shownOptions(a.session, content.question);
  return {
    correct: a.correct,
    recorded: a.recorded,
    verdict: null,
    answer: null,
    reasons: [],
    right: options.filter((o) => o.correct).map((o) => ({ text: o.text, feedback: o.feedback })),
    explanation: content.question.explanation,
    clauses: clauseList(course, content.question.clauses),
  };
}

function render(
  reply: FastifyReply,
  course: Course,
  state: PracticeState | { session: PracticeState['session']; next: number | null; answered: number },
  extra: {
    index?: number;
    feedback?: ReturnType<typeof feedbackOf>;
    errors?: Array<{ field: string; message: string }>;
  },
) {
  const index = extra.index ?? state.next;
  const total = state.session.items.length;
  return reply.viewAsync('learn/practice', {
    ...LEARN_ASSETS,
    course: { id: course.id, title: course.title, language: course.language },
    clauses: clauseList(course, state.session.clauses),
    total,
    n: index === null ? null : index + 1,
    item: index === null ? null : askedItem(course, state, index),
    action: index === null ? null : `${practicePath(course.id)}/${index + 1}`,
    feedback: extra.feedback ?? null,
    next: practicePath(course.id),
    last: index !== null && index + 1 >= total,
    errors: extra.errors ?? [],
  });
}

/** `GET /learn/:courseId/practice`: today's practice at the first item not answered yet. */
async function showPractice(request: PageRequest, reply: FastifyReply) {
  const learner = requireUser(request);
  const course = findCourse(request.server, request.params.courseId);
  const state = await request.server.services.learning.openPractice({
    learner,
    course,
    now: request.server.clock.now(),
  });
  return render(reply, state.course, state, {});
}

/** `POST /learn/:courseId/practice/:n`: checks the answer to item n, records it once, shows why. */
async function answer(request: AnswerRequest, reply: FastifyReply) {
  const learner = requireUser(request);
  const course = findCourse(request.server, request.params.courseId);
  const index = Number(request.params.n) - 1;
  const now = request.server.clock.now();
  const { answer: verdict, choice } = request.body;
  const choices = choice === undefined ? [] : (Array.isArray(choice) ? choice : [choice]).map(Number);
  if (!verdict && !choices.length) {
    const state = await request.server.services.learning.openPractice({ learner, course, now });
    if (!state.session.items[index]) return render(reply.code(404), state.course, state, {});
    reply.code(400);
    return render(reply, state.course, state, {
      index,
      errors: [{ field: 'practice-answer', message: request.i18n!.t('learn.practice.chooseAnswer') }],
    });
  }
  const result = await request.server.services.learning.answerPractice({
    learner,
    course,
    index,
    ...(verdict ? { verdict } : {}),
    ...(choices.length ? { choices } : {}),
    now,
  });
  const state = { session: result.session, next: null, answered: 0 };
  return render(reply, result.course, state, { index, feedback: feedbackOf(result.course, result, verdict) });
}

const config = { access: 'authenticated' } as const;

const practiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId/practice',
    { config, schema: { params: CourseParams, querystring: NoQuery } },
    showPractice,
  );
  app.post(
    '/learn/:courseId/practice/:n',
    { config, schema: { params: ItemParams, body: AnswerBody } },
    answer,
  );
};

export default practiceRoutes;
