import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Access, decideAccess } from '../domain/access.js';
import { Forbidden } from '../domain/errors.js';
import { sameSitePath } from '../domain/redirect-target.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Enforces the access each route declares, and CSRF on every state-changing request.
 * A route without a declared access fails at start-up, so nothing is public by accident.
 */
export default fp(
  async function auth(app: FastifyInstance) {
    app.decorate('routeTable', []);
    app.decorateRequest('user', null);

    app.addHook('onRoute', (route) => {
      let access: Access | undefined = route.config?.access;
      if (!access && route.url.startsWith('/static/')) access = 'public';
      if (!access)
        throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
      route.config = { ...route.config, access };
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD')
          app.routeTable.push({ method, url: route.url, access, bodyLimit: route.bodyLimit });
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      request.user = request.session?.user ?? null;
      const access = request.routeOptions.config.access;
      if (!access) return; // 404s have no route
      const decision = decideAccess(access, request.user?.role ?? null);
      if (decision === 'login') {
        // Back to this page after sign-in, if it is one the sign-in page would accept as `next`.
        const back = request.method === 'GET' ? sameSitePath(request.url, app.config.BASE_URL) : null;
        return reply.redirect(back ? `/login?next=${encodeURIComponent(back)}` : '/login', 302);
      }
      if (decision === 'forbidden') throw new Forbidden('errors.forbidden');
    });

    // After the body is parsed but before it is validated, so a forged request gets a
    // 403 for the missing token rather than a 400 about its body.
    app.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const config = request.routeOptions.config;
      if (SAFE_METHODS.has(request.method) || config.csrf === false || !config.access) return done();
      // On a bad or missing token this sends a 403 through the error handler.
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'auth', dependencies: ['security'] },
);
