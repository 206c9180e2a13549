import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachmentDisposition } from '../../domain/download-name.js';
import { SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { cmi5ActivityBase, cmi5FileName, MOVE_ON, masteryScore } from '../../scorm/cmi5/index.js';
import { requireCourse } from '../guards.js';
import { HR_ACCESS } from './access.js';
import type { createPackageCache } from './package-cache.js';
import { courseForPackage } from './package-language.js';
import { Cmi5Query, CourseParams } from './schemas.js';

/** HR's cmi5 download (issue #27), offered on the SCORM page beside the SCORM packages. */
const cmi5ExportRoutes: FastifyPluginAsyncTypebox<{ cache: ReturnType<typeof createPackageCache> }> = async (
  app,
  { cache },
) => {
  app.get(
    '/hr/courses/:courseId/cmi5/download',
    { config: { access: HR_ACCESS }, schema: { params: CourseParams, querystring: Cmi5Query } },
    async (request, reply) => {
      const course = courseForPackage(app, requireCourse(app, request.params.courseId), request.query.lang);
      const branding = await app.services.courses.scormBranding({});
      const zip = await cache.cmi5(course, { branding, activityBase: cmi5ActivityBase(app.config.BASE_URL) });
      await app.audit.append(
        {
          actorId: request.user?.id ?? null,
          action: 'cmi5.export',
          targetType: 'course',
          targetId: course.id,
          details: {
            lang: course.language ?? SOURCE_LANGUAGE,
            moveOn: MOVE_ON,
            masteryScore: masteryScore(course),
            version: course.version,
            policyVersion: course.policyVersion,
          },
        },
        app.clock.now(),
      );
      return reply
        .type('application/zip')
        .header('content-disposition', attachmentDisposition(cmi5FileName(course)))
        .header('cache-control', 'no-store')
        .send(zip);
    },
  );
};

export default cmi5ExportRoutes;
