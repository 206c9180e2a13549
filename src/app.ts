import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type Config, trustedProxies } from './config.js';
import type { DatabaseStatus } from './db/database-server.js';
import { type Clock, systemClock } from './domain/clock.js';
import type { Course } from './domain/course.js';
import type { BrokenTranslation, CourseTranslation } from './domain/course-translation.js';
import { readableRequestId } from './domain/request-id.js';
import authPlugin from './plugins/auth.js';
import changeFeedPlugin from './plugins/change-feed.js';
import coursesPlugin from './plugins/courses.js';
import dbPlugin from './plugins/db.js';
import errorsPlugin, { answerFrameworkError } from './plugins/errors.js';
import metricsPlugin from './plugins/metrics.js';
import securityPlugin from './plugins/security.js';
import servicesPlugin from './plugins/services.js';
import { ignoreUnknownQueryParams } from './plugins/tracking-params.js';
import './plugins/types.js';
import i18nPlugin from './plugins/i18n.js';
import viewsPlugin from './plugins/views.js';
import routes from './routes/index.js';

export interface AppOptions {
  config: Config;
  /** MongoDB wire-protocol address: MongoDB, or the embedded/test FerretDB. */
  mongoUri: string;
  clock?: Clock;
  /** Already-loaded courses (tests, CLI); by default they are loaded from courses/. */
  courses?: Map<string, Course>;
  /** Their translations (content/translation/); by default none with given courses, else courses/'s. */
  translations?: Map<string, CourseTranslation[]>;
  /** Those that fail the structural check, shown to HR as broken; by default none with given courses. */
  brokenTranslations?: Map<string, BrokenTranslation[]>;
  logger?: FastifyServerOptions['logger'];
  /** The embedded database's supervision (server.ts passes openDatabaseServer's); default: none. */
  databaseStatus?: DatabaseStatus;
}

/** No supervision (MONGODB_URI, tests, the CLI): never restarting, never restarted. */
const UNSUPERVISED: DatabaseStatus = { restarting: () => false, restarts: () => 0 };

export const REDACTED_LOG_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
];

/** Builds the app without listening: server.ts listens, tests inject. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.LOG_LEVEL, redact: REDACTED_LOG_PATHS },
    trustProxy: trustedProxies(opts.config.TRUST_PROXY),
    bodyLimit: 256 * 1024,
    // Loading the courses checks them (bank linter, guessing simulation) and their translations:
    // seconds on a busy machine, past fastify's 10-second default for one plugin.
    pluginTimeout: 60_000,
    // Quiz forms and CSV uploads never need deep nesting or prototype keys.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A URL fastify cannot decode, or a path parameter past maxParamLength (414), gets the app's
    // error page instead of fastify's JSON with its internal code.
    frameworkErrors: answerFrameworkError,
    // Every log line of a request carries its reqId, which the error page shows as its reference.
    // Never taken from a client's header: a chosen id could make one request pass for another.
    genReqId: readableRequestId,
    requestIdHeader: false,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false, useDefaults: true },
    },
  });

  app.decorate('config', opts.config);
  app.decorate('clock', opts.clock ?? systemClock);
  app.decorate('databaseStatus', opts.databaseStatus ?? UNSUPERVISED);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(coursesPlugin, {
    courses: opts.courses,
    translations: opts.translations,
    brokenTranslations: opts.brokenTranslations,
  });
  await app.register(dbPlugin, { mongoUri: opts.mongoUri });
  await app.register(changeFeedPlugin);
  await app.register(servicesPlugin);
  await app.register(metricsPlugin, { databaseStatus: app.databaseStatus });
  await app.register(securityPlugin);
  await app.register(authPlugin);
  await app.register(i18nPlugin);
  await app.register(viewsPlugin);
  app.addHook('onRoute', ignoreUnknownQueryParams);
  await app.register(routes);
  return app;
}
