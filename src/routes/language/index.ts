import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { LANGUAGES } from '../../domain/i18n/languages.js';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import { LANGUAGE_COOKIE } from '../../plugins/i18n.js';
import { formBody } from '../form-schema.js';

const choice = {
  lang: Type.Union(LANGUAGES.map((l) => Type.Literal(l))),
  // The switcher sends at most 2000 characters (plugins/views.ts returnTo).
  next: Type.Optional(Type.String({ maxLength: 2000 })),
};
const LanguageBody = formBody(choice);
const LanguageQuery = Type.Object(choice);

/** A year: the choice is a preference, not a secret. */
const COOKIE_SECONDS = 365 * 24 * 3600;

/**
 * The language switcher (views/partials/language-switcher.eta): a plain form, so it works without
 * JavaScript. Anyone may use it. Anonymous visitors get a GET form (no session, so no CSRF token to
 * render): it only sets the `lang` cookie, a harmless, idempotent preference, and goes back to a
 * page of this site. Where a session exists the form POSTs with a token, and for a signed-in person
 * the choice goes on their profile (audited as a person change), so it applies from the next page
 * on, on every device (plugins/i18n.ts reads it per request).
 */
const languageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const remember = (reply: FastifyReply, lang: string) =>
    reply.setCookie(LANGUAGE_COOKIE, lang, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: app.config.BASE_URL.startsWith('https://'),
      maxAge: COOKIE_SECONDS,
    });

  app.get(
    '/language',
    { config: { access: 'public' }, schema: { querystring: LanguageQuery } },
    async (request, reply) => {
      remember(reply, request.query.lang);
      return reply.redirect(safeRedirectPath(request.query.next, app.config.BASE_URL), 303);
    },
  );

  app.post(
    '/language',
    { config: { access: 'public' }, schema: { body: LanguageBody } },
    async (request, reply) => {
      const { lang } = request.body;
      const user = request.user;
      // Signed in, the profile holds the choice; the cookie only counts for anonymous visitors.
      if (!user) remember(reply, lang);
      else {
        await app.services.people.updatePerson({
          userId: user.id,
          changes: { locale: lang },
          actorId: user.id,
          currentSessionId: request.session.sessionId,
          now: app.clock.now(),
        });
      }
      return reply.redirect(safeRedirectPath(request.body.next, app.config.BASE_URL), 303);
    },
  );
};

export default languageRoutes;
