import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Course, Lesson } from '../../domain/course.js';
import { lessonsToStudy, quizDrawPlan } from '../../domain/mastery/refresher-path.js';
import { lessonPath, type RefresherStanding } from '../../services/learning/index.js';
import { requireUser } from '../guards.js';
import { reattestPageView } from '../records/attest-view.js';
import { clauseList, completedOn, formatDate, LEARN_ASSETS, stateBadge } from './format.js';
import { findCourse } from './lookup.js';
import { CourseParams, NoQuery } from './schemas.js';

/** The refresher panel: the offer, the check under way, or the short path's clauses. */
function refresherView(course: Course, standing: RefresherStanding) {
  if (!standing) return null;
  const base = `/learn/${course.id}/refresher`;
  if (standing.kind === 'offer') return { kind: 'offer', offer: { ...standing, base } };
  if (standing.kind === 'pending') return { kind: 'pending', href: `${base}/pretest` };
  const { testedOut, study } = standing.refresher;
  return {
    kind: 'short',
    href: `${base}/result`,
    testedOut: testedOut.length,
    study: clauseList(course, study),
  };
}

/** On the short path: the first lesson to study not read yet, else the quiz on the study clauses. */
function studyResume(course: Course, toStudy: readonly Lesson[], viewed: ReadonlySet<string>): string {
  const next = toStudy.find((l) => !viewed.has(l.id));
  return next ? lessonPath(course.id, next.id) : `/learn/${course.id}/quiz`;
}

function resumeLabelKey(started: boolean, completed: boolean): string {
  if (completed) return 'learn.overview.reviewLessons';
  return started ? 'learn.overview.resume' : 'learn.overview.startFirst';
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
          const view = reattestPageView(learner, shown.course, changes, {
            typedName: '',
            errors: [],
            i18n: request.i18n!,
          });
          return reply.viewAsync(view.template, view.data);
        }
      }
      // A refresher's start offers the check of what the learner still knows; after it, the
      // lessons listed are only those teaching the clauses left to study (issue #23).
      const refresher = await app.services.learning.refresherStanding({
        course,
        cycle,
        now: app.clock.now(),
      });
      const study = refresher?.kind === 'short' ? refresher.refresher.study : null;
      const listed = study ? lessonsToStudy(course, study) : course.lessons;
      const lessons = listed.map((lesson) => ({
        n: course.lessons.indexOf(lesson) + 1,
        title: lesson.title,
        minutes: lesson.minutes ?? null,
        href: lessonPath(course.id, lesson.id),
        done: standing.viewed.has(lesson.id),
      }));
      const completed = completedOn(standing.assignment, request.i18n!);
      return reply.viewAsync('learn/overview', {
        ...LEARN_ASSETS,
        course: {
          id: course.id,
          title: course.title,
          summary: course.summary,
          minutes: course.estimatedMinutes,
          language: course.language,
        },
        lessons,
        viewedCount: listed.filter((l) => standing.viewed.has(l.id)).length,
        refresher: refresherView(course, refresher),
        resume: study ? studyResume(course, listed, standing.viewed) : standing.resume,
        resumeLabelKey: resumeLabelKey(standing.started, completed !== null),
        badge: stateBadge(standing.assignment?.state ?? null, standing.viewed.size > 0, request.i18n!),
        due: formatDate(standing.assignment?.dueAt, request.i18n!),
        completedOn: completed,
        expires: formatDate(standing.assignment?.expiresAt, request.i18n!),
        passed: Boolean(cycle?.passedAt),
        attested: Boolean(cycle?.attestedAt),
        certificateUrl: cycle?.certificateCode
          ? `/certificates/${encodeURIComponent(cycle.certificateCode)}.pdf`
          : null,
        counts: {
          examples: course.examples.length,
          // A refresher's short path asks fewer questions, on the clauses left to study.
          questions: quizDrawPlan(course, course.questions, cycle?.refresher).count,
        },
      });
    },
  );
};

export default overviewRoutes;
