import type { Models } from '../../db/models/index.js';
import type { Course, Question } from '../../domain/course.js';
import type { AuditLog } from '../audit/log.js';

export interface QuizDeps {
  models: Models;
  audit: AuditLog;
  courses: Map<string, Course>;
}

/** Carries an HTTP status to the error handler without services knowing about fastify. */
export class QuizError extends Error {
  constructor(
    public readonly statusCode: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export function courseOr404(deps: QuizDeps, courseId: string): Course {
  const course = deps.courses.get(courseId);
  if (!course) throw new QuizError(404, 'There is no course at this address.');
  return course;
}

export function questionMap(course: Course): Map<string, Question> {
  return new Map(course.questions.map((q) => [q.id, q]));
}
