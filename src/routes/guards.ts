import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Course } from '../domain/course.js';
import { NotFound } from '../domain/errors.js';
import type { SessionUser } from '../domain/roles.js';

/**
 * The signed-in person. Routes declared 'authenticated' (or for a role) never reach their handler
 * without one (plugins/auth.ts redirects first); this narrows the type, and answers like a missing
 * page if a route's declaration is ever wrong.
 */
export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new NotFound('errors.route.nothingHere');
  return request.user;
}

/** The course a URL names, or a 404. */
export function requireCourse(app: FastifyInstance, courseId: string): Course {
  const course = app.courses.get(courseId);
  if (!course) throw new NotFound('errors.route.noCourse');
  return course;
}
