import type { FastifyInstance } from 'fastify';
import type { Course } from '../../domain/course.js';
import { HttpError } from '../../plugins/auth.js';

export function courseOr404(app: FastifyInstance, courseId: string): Course {
  const course = app.courses.get(courseId);
  if (!course) throw new HttpError(404, 'There is no course with that id.');
  return course;
}
