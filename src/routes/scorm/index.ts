import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import cmi5ExportRoutes from './cmi5.js';
import scormExportRoutes from './export.js';
import { createPackageCache } from './package-cache.js';
import scormPreviewRoutes from './preview.js';

/** The SCORM area: HR downloads packages and previews them in scorm-again. */
const scormRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = createPackageCache();
  await app.register(scormExportRoutes, { cache });
  await app.register(cmi5ExportRoutes, { cache });
  await app.register(scormPreviewRoutes, { cache });
};

export default scormRoutes;
