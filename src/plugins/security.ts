import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createSessionStore } from '../db/session-store.js';

export const SESSION_COOKIE = 'sid';
const SESSION_HOURS = 8;

/** Cookies, server-side sessions, CSRF, security headers and the rate-limit machinery. */
export default fp(
  async function security(app: FastifyInstance) {
    const secure = app.config.BASE_URL.startsWith('https://');

    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          // The SCORM preview player frames packages served by this same origin.
          frameAncestors: ["'self'"],
          upgradeInsecureRequests: secure ? [] : null,
        },
      },
      strictTransportSecurity: secure,
    });
    await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: app.config.SESSION_SECRET,
      cookieName: SESSION_COOKIE,
      // Write-through, in-process copies for SESSION_CACHE_SECONDS (0: every request reads the database).
      store: createSessionStore(app.db.models, () => app.clock.now(), {
        cacheSeconds: app.config.SESSION_CACHE_SECONDS,
      }),
      saveUninitialized: false,
      // Only write the session when it changes, not on every request.
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_HOURS * 3600 * 1000 },
    });
    await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
    await app.register(fastifyRateLimit, { global: false });

    // Nothing shown to a signed-in person may stay in the browser's cache: after sign-out the back
    // button must show nothing. Static assets, and replies that chose their own caching, keep it.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.user && !reply.hasHeader('cache-control') && !request.url.startsWith('/static/'))
        reply.header('cache-control', 'private, no-store');
      return payload;
    });
  },
  { name: 'security', dependencies: ['db'] },
);
