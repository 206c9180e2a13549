import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { defaultCoursesDir, loadCourses } from '../content/index.js';
import type { Course } from '../domain/course.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The courses as served, parsed once at start-up (invalid content stops the start) and resolved in
     * place by `app.catalogue` (services/courses/): placeholders filled from the organisation profile,
     * the published policy overlay applied. Always this one Map object.
     */
    courses: Map<string, Course>;
  }
}

export default fp(
  async function courses(app: FastifyInstance, opts: { courses?: Map<string, Course> }) {
    app.decorate('courses', opts.courses ?? (await loadCourses(defaultCoursesDir)));
  },
  { name: 'courses' },
);
