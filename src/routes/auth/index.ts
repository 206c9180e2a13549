import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { usersRepository } from '../../db/repositories/users.js';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import { login } from '../../services/auth.js';
import { formBody, Text } from '../form-schema.js';
import { accountLockout } from './account-lockout.js';

const LoginQuery = Type.Object(
  { next: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const LoginBody = formBody({
  email: Text(254, 1),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
});

const LOGIN_WINDOW_MS = 15 * 60 * 1000;

function homeFor(role: string): string {
  return role === 'admin' ? '/admin' : role === 'hr' ? '/hr' : '/';
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const users = usersRepository(app.db.models);
  const lockout = accountLockout(app, { maxFailures: 10, windowMs: LOGIN_WINDOW_MS });
  // Where to go after sign-in: only a path on this site (domain/redirect-target.ts), else home.
  const nextPath = (next: unknown) => safeRedirectPath(next, app.config.BASE_URL);

  app.get(
    '/login',
    { config: { access: 'public' }, schema: { querystring: LoginQuery } },
    async (request, reply) => {
      if (request.user) return reply.redirect(nextPath(request.query.next));
      return reply.viewAsync('auth/login', {
        csrfToken: reply.generateCsrf(),
        next: nextPath(request.query.next),
        email: '',
        error: null,
      });
    },
  );

  app.post(
    '/login',
    {
      config: { access: 'public' },
      schema: { body: LoginBody },
      // Two limits: requests per client address, and failed sign-ins per account (account-lockout.ts).
      preHandler: [app.rateLimit({ max: 30, timeWindow: LOGIN_WINDOW_MS }), lockout.check],
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const next = nextPath(request.body.next);
      const user = await login(
        { users, audit: app.audit },
        { email, password, ip: request.ip },
        app.clock.now(),
      );
      if (!user) {
        await lockout.recordFailure(request);
        reply.code(401);
        return reply.viewAsync('auth/login', {
          csrfToken: reply.generateCsrf(),
          next,
          email,
          error: 'That e-mail and password combination did not work.',
        });
      }
      // A fresh session id at login blocks session fixation.
      await request.session.regenerate();
      request.session.user = user;
      // A fresh CSRF secret, saved with the new session: the first page after login then has nothing
      // to write back (and no secret from before the login carries over).
      reply.generateCsrf();
      return reply.redirect(next === '/' ? homeFor(user.role) : next, 303);
    },
  );

  app.post(
    '/logout',
    { config: { access: 'public' }, schema: { body: formBody({}) } },
    async (request, reply) => {
      await request.session.destroy();
      return reply.redirect('/login', 303);
    },
  );
};

export default authRoutes;
