import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LANGUAGES } from '../../domain/i18n/languages.js';
import { safeRedirectPath } from '../../domain/redirect-target.js';
import { LANGUAGE_COOKIE } from '../../plugins/i18n.js';
import { formBody } from '../form-schema.js';

const LanguageBody = formBody({
  lang: Type.Union(LANGUAGES.map((l) => Type.Literal(l))),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});

/** A year: the choice is a preference, not a secret. */
const COOKIE_SECONDS = 365 * 24 * 3600;

/**
 * The language switcher (views/partials/language-switcher.eta): a plain form, so it works without
 * JavaScript. Anyone may use it; the choice is kept in the `lang` cookie, and for a signed-in
 * person also on their profile (audited as a person change) and in their session, so it applies
 * from the next page on and on every device after their next sign-in.
 */
const languageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/language',
    { config: { access: 'public' }, schema: { body: LanguageBody } },
    async (request, reply) => {
      const { lang } = request.body;
      reply.setCookie(LANGUAGE_COOKIE, lang, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.BASE_URL.startsWith('https://'),
        maxAge: COOKIE_SECONDS,
      });
      const user = request.user;
      if (user) {
        await app.services.people.updatePerson({
          userId: user.id,
          changes: { locale: lang },
          actorId: user.id,
          currentSessionId: request.session.sessionId,
          now: app.clock.now(),
        });
        request.session.user = { ...user, language: lang };
      }
      return reply.redirect(safeRedirectPath(request.body.next, app.config.BASE_URL), 303);
    },
  );
};

export default languageRoutes;
