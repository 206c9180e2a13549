import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { lessonPath } from '../../services/learning/index.js';
import { requireUser } from '../guards.js';
import { reattestPageView } from '../records/attest-view.js';
import { completedOn, formatDate, LEARN_ASSETS, stateBadge } from './format.js';
import { findCourse } from './lookup.js';
import { CourseParams, NoQuery } from './schemas.js';

function resumeLabel(started: boolean, completed: boolean): string {
  if (completed) return 'Review the lessons';
  return started ? 'Resume where you left off' : 'Start the first lesson';
}

/** `GET /learn/:courseId`: summary, lessons with done marks, resume, and the course's activities. */
const overviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId',
    { config: { access: 'authenticated' }, schema: { params: CourseParams, querystring: NoQuery } },
    async (request, reply) => {
      const learner = requireUser(request);
      const course = findCourse(app, request.params.courseId);
      const standing = await app.services.learning.courseProgress({ userId: learner.id, course });
      // A new policy version to re-attest: the page is what changed and the form, not the course.
      const cycle = standing.cycle;
      if (cycle?.requirement === 'attest-only' && !cycle.attestedAt) {
        const changes = await app.services.records.reattestation({ course, cycle });
        if (changes) {
          // The assignment read for the standing carries the person's region.
          const region = standing.assignment?.region;
          const shown = await app.services.learning.courseForLearner({ region, course });
          const view = reattestPageView(learner, shown.course, changes, { typedName: '', errors: [] });
          return reply.viewAsync(view.template, view.data);
        }
      }
      const lessons = course.lessons.map((lesson, i) => ({
        n: i + 1,
        title: lesson.title,
        minutes: lesson.minutes ?? null,
        href: lessonPath(course.id, lesson.id),
        done: standing.viewed.has(lesson.id),
      }));
      const completed = completedOn(standing.assignment);
      return reply.viewAsync('learn/overview', {
        ...LEARN_ASSETS,
        course: {
          id: course.id,
          title: course.title,
          summary: course.summary,
          minutes: course.estimatedMinutes,
        },
        lessons,
        viewedCount: standing.viewed.size,
        resume: standing.resume,
        resumeLabel: resumeLabel(standing.started, completed !== null),
        badge: stateBadge(standing.assignment?.state ?? null, standing.viewed.size > 0),
        due: formatDate(standing.assignment?.dueAt),
        completedOn: completed,
        expires: formatDate(standing.assignment?.expiresAt),
        passed: Boolean(cycle?.passedAt),
        attested: Boolean(cycle?.attestedAt),
        certificateUrl: cycle?.certificateCode
          ? `/certificates/${encodeURIComponent(cycle.certificateCode)}.pdf`
          : null,
        counts: { examples: course.examples.length, questions: course.quiz.questionsPerAttempt },
      });
    },
  );
};

export default overviewRoutes;
