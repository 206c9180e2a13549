import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import type { MessageValues } from '../../i18n/translator.js';
import { LANGUAGE_COOKIE } from '../../plugins/i18n.js';
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

const WRONG_PASSWORD = 'auth.signIn.wrongPassword';

function homeFor(role: string): string {
  return role === 'admin' ? '/admin' : role === 'hr' ? '/hr' : '/';
}

/** The sign-in page, with what was typed and why it did not work, and the single sign-on button. */
async function renderLogin(
  reply: FastifyReply,
  data: { next: string; email: string; error: { key: string; values?: MessageValues } | null },
) {
  const options = await reply.server.services.identity.signInOptions();
  const error = data.error && reply.request.i18n!.t(data.error.key, data.error.values);
  return reply.viewAsync('auth/login', { csrfToken: reply.generateCsrf(), ...options, ...data, error });
}

/**
 * Failed sign-ins are slowed per (account, address) and capped per address; many failures on one
 * account e-mail its owner and never lock them out (domain/login-throttle.ts), counted in the
 * database across workers and instances. The alert is sent off the request path; closing the app
 * waits for alerts under way.
 */
function signInThrottle(app: FastifyInstance) {
  const alerts = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...alerts]);
  });
  return loginThrottle(app, {
    onRepeatedFailures: (failures) => {
      const alert = app.services.identity
        .sendLoginAlert({ ...failures, now: app.clock.now() })
        .catch((err: unknown) => app.log.error({ err }, 'failed sign-ins alert not sent'));
      alerts.add(alert);
      void alert.finally(() => alerts.delete(alert));
    },
  });
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const throttle = signInThrottle(app);
  // Where to go after sign-in: only a path on this site (domain/redirect-target.ts), else home.
  const nextPath = (next: unknown) => safeRedirectPath(next, app.config.BASE_URL);

  app.get(
    '/login',
    { config: { access: 'public' }, schema: { querystring: LoginQuery } },
    async (request, reply) => {
      if (request.user) return reply.redirect(nextPath(request.query.next));
      return renderLogin(reply, { next: nextPath(request.query.next), email: '', error: null });
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
      const attempt = await throttle.begin(email, request.ip);
      if (!attempt.allowed) {
        reply.code(429).header('retry-after', String(attempt.retryAfterSeconds));
        return renderLogin(reply, { next: nextPath(request.body.next), email, error: attempt.message });
      }
      const next = nextPath(request.body.next);
      // Switched off for everyone but the break-glass admins: refused here, not only hidden, with the
      // wrong-password answer, so the sign-in form does not tell which addresses are break-glass.
      const gate = await app.services.identity.checkPasswordSignIn({
        email,
        password,
        ip: request.ip,
        now: app.clock.now(),
      });
      if (!gate.allowed) {
        await throttle.failed(attempt.attempt);
        reply.code(401);
        return renderLogin(reply, { next, email, error: { key: WRONG_PASSWORD } });
      }
      const user = await app.services.identity
        .login({ email, password, ip: request.ip, now: app.clock.now() })
        .catch(async (err: unknown) => {
          await throttle.unfinished(attempt.attempt);
          throw err;
        });
      if (!user) {
        await throttle.failed(attempt.attempt);
        reply.code(401);
        return renderLogin(reply, { next, email, error: { key: WRONG_PASSWORD } });
      }
      await throttle.succeeded(attempt.attempt);
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
      // After an SSO sign-in, also end the provider's session where it supports RP-initiated logout.
      const idToken = request.session.oidcIdToken;
      const providerLogout = idToken
        ? await app.services.identity.ssoLogoutUrl({ idToken, now: app.clock.now() })
        : null;
      await request.session.destroy();
      // The switcher's choice is a preference of whoever used this browser: not the next person's.
      reply.clearCookie(LANGUAGE_COOKIE, { path: '/' });
      if (!providerLogout) return reply.redirect('/login', 303);
      // A link, not a redirect: the CSP's form-action 'self' stops a form's redirect to another site.
      return reply.viewAsync('auth/signed-out', providerLogout);
    },
  );
};

export default authRoutes;
