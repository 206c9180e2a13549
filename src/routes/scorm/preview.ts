import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FORMAT_LABELS } from '../../scorm/index.js';
import { requireCourse } from '../guards.js';
import { HR_ACCESS } from './access.js';
import type { createPackageCache } from './package-cache.js';
import { CourseParams, PackageQuery, PlayerParams, PreviewFileParams } from './schemas.js';

const require = createRequire(import.meta.url);
/** scorm-again's browser builds (plain scripts that define Scorm12API / Scorm2004API). */
const scormAgainDist = require.resolve('scorm-again/scorm12').replace(/scorm12\.js$/, '');

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
};
// A packaged SVG logo opened on its own runs no script (as /organisation/logo): a sandboxed document.
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * The preview player: scorm-again plays the package as an LMS would, with the package's files
 * served from memory on this origin (so the frame can reach the API) and a live CMI panel.
 */
const scormPreviewRoutes: FastifyPluginAsyncTypebox<{
  cache: ReturnType<typeof createPackageCache>;
}> = async (app, { cache }) => {
  app.get(
    '/hr/courses/:courseId/scorm/preview',
    { config: { access: HR_ACCESS }, schema: { params: CourseParams, querystring: PackageQuery } },
    async (request, reply) => {
      const course = requireCourse(app, request.params.courseId);
      const { format } = request.query;
      const failStatus = request.query.failStatus ?? 'failed';
      return reply.viewAsync('scorm/preview', {
        course,
        format,
        failStatus,
        formatLabel: FORMAT_LABELS[format],
        launchUrl: `/hr/courses/${course.id}/scorm/preview/${format}/${failStatus}/files/index.html`,
        styles: ['/static/css/scorm-preview.css'],
        scripts: [`/hr/scorm/player/${format}.min.js`, '/static/js/scorm-preview.js'],
      });
    },
  );

  app.get(
    '/hr/courses/:courseId/scorm/preview/:format/:failStatus/files/*',
    { config: { access: HR_ACCESS }, schema: { params: PreviewFileParams } },
    async (request, reply) => {
      const { courseId, format, failStatus } = request.params;
      const course = requireCourse(app, courseId);
      const name = request.params['*'];
      const branding = await app.services.courses.scormBranding({});
      const body = (await cache.files(course, { format, failStatus, branding })).get(name);
      if (!body) return reply.callNotFound();
      if (name.endsWith('.svg')) reply.header('content-security-policy', SVG_CSP);
      return reply
        .type(CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream')
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  const players = new Map<string, Promise<Buffer>>();
  app.get(
    '/hr/scorm/player/:build',
    { config: { access: HR_ACCESS }, schema: { params: PlayerParams } },
    async (request, reply) => {
      const { build } = request.params;
      let file = players.get(build);
      if (!file) {
        file = readFile(`${scormAgainDist}${build}`);
        players.set(build, file);
      }
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'private, max-age=3600')
        .send(await file);
    },
  );
};

export default scormPreviewRoutes;
