import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createMailer } from '../mail/transport.js';
import { createServices, type Services } from '../services/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every use case, wired once at start-up (services/index.ts). */
    services: Services;
  }
}

/** Builds `app.services` from the app's database, courses, audit log and one mailer. */
export default fp(
  async function services(app: FastifyInstance) {
    const mailer = createMailer(app.config, app.db.models);
    app.decorate(
      'services',
      createServices({
        models: app.db.models,
        courses: app.courses,
        audit: app.audit,
        mailer,
        baseUrl: app.config.BASE_URL,
      }),
    );
    app.addHook('onClose', async () => mailer.close());
  },
  { name: 'services', dependencies: ['db', 'courses'] },
);
