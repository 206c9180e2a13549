import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { usersRepository } from '../../db/repositories/users.js';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import { login } from '../../services/identity/login.js';
import { loginAlerts } from '../../services/identity/login-alerts.js';
import { formBody, Text } from '../form-schema.js';
import { loginThrottle } from './login-throttle.js';

const LoginQuery = Type.Object(
  { next: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const LoginBody = formBody({
  email: Text(254, 1),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
});

function homeFor(role: string): string {
  return role === 'admin' ? '/admin' : role === 'hr' ? '/hr' : '/';
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const users = usersRepository(app.db.models);
  // Failed sign-ins are slowed per (account, address) and capped per address; many failures on
  // one account e-mail its owner and never lock them out (domain/login-throttle.ts).
  const alerts = loginAlerts({ users, audit: app.audit, models: app.db.models, config: app.config });
  app.addHook('onClose', () => alerts.close());
  const throttle = loginThrottle({
    now: () => app.clock.now(),
    onRepeatedFailures: (account, failures, windowStart, minutes) => {
      alerts.notify(account, failures, windowStart, minutes, app.clock.now(), (err) =>
        app.log.error({ err }, 'failed sign-ins alert not sent'),
      );
    },
  });
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
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const attempt = throttle.begin(email, request.ip);
      if (!attempt.allowed) {
        reply.code(429).header('retry-after', String(attempt.retryAfterSeconds));
        return reply.viewAsync('auth/login', {
          csrfToken: reply.generateCsrf(),
          next: nextPath(request.body.next),
          email,
          error: attempt.message,
        });
      }
      const next = nextPath(request.body.next);
      const user = await login(
        { users, audit: app.audit },
        { email, password, ip: request.ip },
        app.clock.now(),
      ).catch((err: unknown) => {
        throttle.unfinished(attempt.attempt);
        throw err;
      });
      if (!user) {
        throttle.failed(attempt.attempt);
        reply.code(401);
        return reply.viewAsync('auth/login', {
          csrfToken: reply.generateCsrf(),
          next,
          email,
          error: 'That e-mail and password combination did not work.',
        });
      }
      throttle.succeeded(attempt.attempt);
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
