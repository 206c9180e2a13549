import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Course } from '../../domain/course.js';
import { formatDateTime, formatDay } from '../../domain/display-dates.js';
import type { SessionUser } from '../../domain/roles.js';
import { HttpError } from '../../plugins/auth.js';
import type { CompletionDeps } from '../../services/records/completion.js';

export function courseOr404(app: FastifyInstance, courseId: string): Course {
  const course = app.courses.get(courseId);
  if (!course) throw new HttpError(404, 'There is no course at this address.');
  return course;
}

/** Routes declared 'authenticated' always have a user; this narrows the type. */
export function signedIn(request: FastifyRequest): SessionUser {
  if (!request.user) throw new HttpError(404, 'There is nothing at this address.');
  return request.user;
}

export function completionDeps(app: FastifyInstance): CompletionDeps {
  return { models: app.db.models, audit: app.audit, courses: app.courses };
}

export const isHr = (user: SessionUser) => user.role === 'hr' || user.role === 'admin';

/** Date formatters handed to views (dates are shown in UTC so records read the same everywhere). */
export const fmt = {
  day: (d: Date | null | undefined) => (d ? formatDay(d) : ''),
  time: (d: Date | null | undefined) => (d ? formatDateTime(d) : ''),
};
