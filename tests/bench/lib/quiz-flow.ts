import { attemptKey, cycleKey } from '../../../src/db/keys.js';
import type { Models } from '../../../src/db/models/index.js';
import type { Course, Question } from '../../../src/domain/course.js';
import { answerFields, answerFor } from './answers.js';
import { type HttpRequest, type HttpResponse, postForm } from './http.js';
import type { BenchSession } from './sessions.js';

/** The quiz URLs of the app (routes/quiz/learner.ts). */
export function quizPaths(courseId: string) {
  const base = `/learn/${courseId}/quiz`;
  return {
    intro: base,
    start: `${base}/attempts`,
    attempt: (n: number) => `${base}/attempts/${n}`,
    submit: (n: number) => `${base}/attempts/${n}/submit`,
  };
}

/** Starts attempt 1 for a session; a 303 to the attempt page is success. */
export function startAttempt(
  baseUrl: string,
  course: Course,
  s: BenchSession,
  req: HttpRequest = {},
): Promise<HttpResponse> {
  return postForm(
    `${baseUrl}${quizPaths(course.id).start}`,
    { _csrf: s.csrf },
    { ...req, headers: { cookie: s.cookie } },
  );
}

/**
 * A complete answer form for a learner's first attempt, read from the stored draw (the bench
 * plays a learner who knows most answers: `rightShare` of the questions are answered correctly).
 */
export async function answerFormFor(
  models: Models,
  course: Course,
  s: BenchSession,
  rightShare = 0.85,
): Promise<Record<string, string | string[]>> {
  const id = attemptKey(cycleKey(s.user.id, course.id, 1), 1);
  const attempt = await models.Attempt.findById(id).lean();
  if (!attempt) throw new Error(`no attempt ${id}`);
  const byId = new Map<string, Question>(course.questions.map((q) => [q.id, q]));
  const form: Record<string, string | string[]> = { _csrf: s.csrf };
  attempt.draw.forEach((drawn, i) => {
    const right = (i + 1) / attempt.draw.length <= rightShare;
    Object.assign(form, answerFields(attempt, i, answerFor(byId.get(drawn.questionId)!, right)));
  });
  return form;
}

/**
 * A complete answer form read from the attempt page's HTML, as a browser would fill it: the
 * first offered value of every answer and verdict field (the page never reveals which is right).
 */
export function answerFormFromPage(html: string, csrf: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = { _csrf: csrf };
  const input = /<input\b[^>]*>/g;
  for (const tag of html.match(input) ?? []) {
    const name = /\bname="((?:answers|verdicts)\[[^"\]]+\])"/.exec(tag)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(tag)?.[1];
    if (name && value !== undefined && !(name in form)) form[name] = value;
  }
  return form;
}
