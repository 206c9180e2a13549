import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { defaultCoursesDir, loadCourses } from '../content/index.js';
import type { Course } from '../domain/course.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Validated course content, parsed once at start-up. Invalid content stops the start. */
    courses: Map<string, Course>;
  }
}

export default fp(
  async function courses(app: FastifyInstance, opts: { courses?: Map<string, Course> }) {
    app.decorate('courses', opts.courses ?? (await loadCourses(defaultCoursesDir)));
  },
  { name: 'courses' },
);
