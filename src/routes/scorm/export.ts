import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachmentDisposition } from '../../domain/download-name.js';
import { SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { FORMAT_LABELS, packageFileName, SCORM_FORMATS } from '../../scorm/index.js';
import { requireCourse } from '../guards.js';
import { HR_ACCESS } from './access.js';
import type { createPackageCache } from './package-cache.js';
import { courseForPackage, packageLanguages } from './package-language.js';
import { CourseParams, PackageQuery } from './schemas.js';

/** HR's SCORM page for a course, and the package download. */
const scormExportRoutes: FastifyPluginAsyncTypebox<{ cache: ReturnType<typeof createPackageCache> }> = async (
  app,
  { cache },
) => {
  app.get(
    '/hr/courses/:courseId/scorm',
    { config: { access: HR_ACCESS }, schema: { params: CourseParams } },
    async (request, reply) => {
      const course = requireCourse(app, request.params.courseId);
      return reply.viewAsync('scorm/export', {
        course,
        formats: SCORM_FORMATS.map((id) => ({ id, label: FORMAT_LABELS[id] })),
        languages: packageLanguages(app, course.id),
      });
    },
  );

  app.get(
    '/hr/courses/:courseId/scorm/download',
    { config: { access: HR_ACCESS }, schema: { params: CourseParams, querystring: PackageQuery } },
    async (request, reply) => {
      const course = courseForPackage(app, requireCourse(app, request.params.courseId), request.query.lang);
      const options = {
        format: request.query.format,
        failStatus: request.query.failStatus ?? 'failed',
      } as const;
      const branding = await app.services.courses.scormBranding({});
      const zip = await cache.zip(course, { ...options, branding });
      await app.audit.append(
        {
          actorId: request.user?.id ?? null,
          action: 'scorm.export',
          targetType: 'course',
          targetId: course.id,
          details: {
            ...options,
            lang: course.language ?? SOURCE_LANGUAGE,
            version: course.version,
            policyVersion: course.policyVersion,
          },
        },
        app.clock.now(),
      );
      return reply
        .type('application/zip')
        .header('content-disposition', attachmentDisposition(packageFileName(course, options)))
        .header('cache-control', 'no-store')
        .send(zip);
    },
  );
};

export default scormExportRoutes;
