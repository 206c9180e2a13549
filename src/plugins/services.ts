import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { xapiAllowedHosts } from '../config.js';
import { createMailer } from '../mail/transport.js';
import { type Catalogue, createCatalogue } from '../services/courses/index.js';
import { ssoEnvironment } from '../services/identity/sso/environment.js';
import { createServices, type Services } from '../services/index.js';
import { ledgerFile } from '../services/operations/backup/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every use case, wired once at start-up (services/index.ts). */
    services: Services;
    /** The course templates and the refresh that keeps `app.courses` resolved (services/courses/). */
    catalogue: Catalogue;
  }
}

/**
 * Builds `app.services` from the app's database, courses, audit log and one mailer. `app.courses`
 * is resolved before the app is ready and refreshed at the start of each request: free while fresh
 * (services/courses/catalogue.ts REFRESH_MS), two small reads when stale.
 */
export default fp(
  async function services(app: FastifyInstance) {
    const mailer = createMailer(app.config, app.db.models);
    const catalogue = createCatalogue({
      models: app.db.models,
      served: app.courses,
      clock: app.clock,
      translations: app.courseTranslations,
      broken: app.brokenTranslations,
    });
    app.decorate('catalogue', catalogue);
    app.decorate(
      'services',
      createServices({
        models: app.db.models,
        courses: app.courses,
        catalogue,
        audit: app.audit,
        mailer,
        baseUrl: app.config.BASE_URL,
        sso: ssoEnvironment(app.config),
        xapiAllowedHosts: xapiAllowedHosts(app.config.XAPI_ALLOWED_HOSTS),
        erasureLedger: ledgerFile(app.config.DATA_DIR, app.config.DB_NAME),
        passwordHashCost: app.config.passwordHashCost,
        throttleKey: app.config.SESSION_SECRET,
        log: app.log,
      }),
    );
    app.addHook('onReady', async () => catalogue.refresh({ force: true }));
    // A failed re-read keeps the courses as they were (the page's own reads report an outage).
    app.addHook('onRequest', async (request) => {
      await catalogue.refresh().catch((err: unknown) => request.log.warn({ err }, 'courses not refreshed'));
    });
    app.addHook('onClose', async () => mailer.close());
  },
  { name: 'services', dependencies: ['db', 'courses'] },
);
