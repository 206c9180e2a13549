import type { ClassificationAnswerDoc } from '../../db/models/learning.js';
import type { AttemptResultDoc } from '../../db/models/quiz.js';
import type { AttestationDoc, CertificateDoc } from '../../db/models/records.js';
import type { CycleDoc, LessonViewDoc } from '../../db/models/training.js';
import type { Course } from '../../domain/course.js';
import type { ServiceContext } from '../context.js';
import { recordLearningEvent, recordLearningEvents } from './record.js';

/**
 * Where the learning services tell the LRS what happened (#27): one call per record, made after
 * the record is written and keyed by the record's natural key, so a repeated request, a repair
 * or a double submit names the same statement (the outbox keeps it once). Each event carries the
 * record's own time, not the request's. `recordLearningEvent` never throws: a failure to queue a
 * statement never fails the learner's action.
 */
export const xapiHooks = {
  /** The cycle's first activity (a lesson, the quiz or the pre-assessment) opened the course. */
  cycleLaunched(
    ctx: ServiceContext,
    cycle: Pick<CycleDoc, '_id' | 'userId' | 'courseId'>,
    course: Course,
    now: Date,
  ) {
    const language = course.language ?? 'en';
    const base = {
      key: cycle._id,
      cycleId: cycle._id,
      userId: cycle.userId,
      courseId: cycle.courseId,
      at: now,
    };
    return recordLearningEvent(ctx, { ...base, kind: 'launched', language }, now);
  },

  lessonCompleted(ctx: ServiceContext, view: LessonViewDoc, now: Date) {
    const { _id: key, cycleId, userId, courseId, lessonId, at } = view;
    return recordLearningEvent(
      ctx,
      { kind: 'lessonCompleted', key, cycleId, userId, courseId, lessonId, at },
      now,
    );
  },

  /** The learner's first answer to an example (the one kept; later answers are practice). */
  exampleClassified(ctx: ServiceContext, answer: ClassificationAnswerDoc, now: Date) {
    const { _id: key, userId, courseId, exampleId, correct, at } = answer;
    const event = {
      ...({ kind: 'exampleClassified', key, userId, courseId, exampleId, correct, at } as const),
      ...(answer.cycleId ? { cycleId: answer.cycleId } : {}),
      response: answer.answer ?? '',
    };
    return recordLearningEvent(ctx, event, now);
  },

  /** A graded quiz attempt: each question answered, then passed or failed. A pre-assessment sends nothing. */
  async quizGraded(ctx: ServiceContext, result: AttemptResultDoc, now: Date) {
    if (result.purpose === 'pretest') return;
    const { userId, courseId, cycleId, submittedAt: at } = result;
    const base = { userId, courseId, cycleId, at, attemptId: result._id };
    const answered = result.questions.map(({ questionId, correct }) => {
      const given = result.answers[questionId];
      const response = given ? [...(given.verdict ? [given.verdict] : []), ...given.choiceIds] : [];
      return {
        ...base,
        kind: 'answered',
        key: `${result._id}:${questionId}`,
        questionId,
        response,
        correct,
      } as const;
    });
    const scaled = Math.min(1, Math.max(0, result.score / 100));
    const finished = {
      ...base,
      kind: 'quizFinished',
      key: result._id,
      scaled,
      passed: result.passed,
    } as const;
    return recordLearningEvents(ctx, [...answered, finished], now);
  },

  attested(ctx: ServiceContext, record: AttestationDoc, now: Date) {
    const { _id: key, cycleId, userId, courseId, at } = record;
    const policyVersion = String(record.policyVersion ?? 1);
    const language = record.language ?? 'en';
    return recordLearningEvent(
      ctx,
      { kind: 'attested', key, cycleId, userId, courseId, at, policyVersion, language },
      now,
    );
  },

  certificateEarned(ctx: ServiceContext, certificate: CertificateDoc, now: Date) {
    const { _id: certificateCode, cycleId, userId, courseId, issuedAt: at } = certificate;
    const event = {
      kind: 'certificateEarned',
      key: certificateCode,
      cycleId,
      userId,
      courseId,
      at,
      certificateCode,
    } as const;
    return recordLearningEvent(ctx, event, now);
  },
};
