import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { usersRepository } from '../../db/repositories/users.js';
import { safeNextPath } from '../../plugins/auth.js';
import { login } from '../../services/auth.js';
import { formBody, Text } from '../form-schema.js';

const LoginQuery = Type.Object(
  { next: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const LoginBody = formBody({
  email: Text(254, 1),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
});

const LOGIN_WINDOW = '15 minutes';

function homeFor(role: string): string {
  return role === 'admin' ? '/admin' : role === 'hr' ? '/hr' : '/';
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const users = usersRepository(app.db.models);

  app.get(
    '/login',
    { config: { access: 'public' }, schema: { querystring: LoginQuery } },
    async (request, reply) => {
      if (request.user) return reply.redirect(safeNextPath(request.query.next));
      return reply.viewAsync('auth/login', {
        csrfToken: reply.generateCsrf(),
        next: safeNextPath(request.query.next),
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
      // Two limits: per client address, and per account so one address cannot be guessed from many.
      preHandler: [
        app.rateLimit({ max: 30, timeWindow: LOGIN_WINDOW }),
        app.rateLimit({
          max: 10,
          timeWindow: LOGIN_WINDOW,
          keyGenerator: (req) =>
            `acct:${String((req.body as { email?: string })?.email ?? '').toLowerCase()}`,
        }),
      ],
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const next = safeNextPath(request.body.next);
      const user = await login(
        { users, audit: app.audit },
        { email, password, ip: request.ip },
        app.clock.now(),
      );
      if (!user) {
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
