import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import Negotiator from 'negotiator';
import { chooseLanguage, LANGUAGES } from '../domain/i18n/languages.js';
import { type Translator, translator } from '../i18n/translator.js';

/** The cookie the language switcher sets, so a choice made before signing in sticks. */
export const LANGUAGE_COOKIE = 'lang';

/**
 * The page language for a request: the signed-in person's choice, the switcher's cookie, the
 * browser's Accept-Language, the organisation's default, then English (domain/i18n/languages.ts).
 * Usable before the preHandler has run (error pages for a bad request or an unknown route).
 */
export function requestTranslator(request: FastifyRequest, organisationDefault?: string): Translator {
  if (request.i18n) return request.i18n;
  const browser = new Negotiator({ headers: request.headers }).languages([...LANGUAGES]);
  const hasPreference = Boolean(request.headers['accept-language']);
  return translator(
    chooseLanguage({
      chosen: request.user?.language,
      cookie: request.cookies?.[LANGUAGE_COOKIE],
      browser: hasPreference ? browser : [],
      organisation: organisationDefault,
    }),
  );
}

/** Decorates every request with its translator (`request.i18n`) once the user is known. */
export default fp(
  async function i18n(app: FastifyInstance) {
    app.decorateRequest('i18n', null);
    app.addHook('preHandler', async (request) => {
      const org = await app.services.organisation.currentProfile().catch(() => undefined);
      request.i18n = requestTranslator(request, org?.defaultLanguage);
    });
  },
  { name: 'i18n', dependencies: ['auth'] },
);
