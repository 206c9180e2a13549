import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import Negotiator from 'negotiator';
import { peopleDirectory } from '../db/people-directory.js';
import { chooseLanguage, isLanguage, LANGUAGES } from '../domain/i18n/languages.js';
import { type Translator, translator } from '../i18n/translator.js';
import { DIRECTORY_MAX_AGE_MS } from '../services/people/people.js';

/** The cookie the language switcher sets, so a choice made before signing in sticks. */
export const LANGUAGE_COOKIE = 'lang';

/** How much of Accept-Language is read: a browser sends a few entries; an attacker may send 16 KB. */
const ACCEPT_LANGUAGE_MAX_CHARS = 256;
const ACCEPT_LANGUAGE_MAX_ENTRIES = 10;

/**
 * The browser's shipped languages, best first, from the first entries of Accept-Language only
 * (negotiating costs grow with the header). A bare `*` ("anything") asks for nothing in particular,
 * so it leaves the choice to the organisation's default rather than to our list's order.
 */
export function browserLanguages(header: string | string[] | undefined): string[] {
  const value = [header ?? ''].flat().join(',').slice(0, ACCEPT_LANGUAGE_MAX_CHARS);
  const entries = value
    .split(',')
    .slice(0, ACCEPT_LANGUAGE_MAX_ENTRIES)
    .filter((e) => {
      const range = e.split(';')[0]!.trim();
      return range !== '' && range !== '*';
    });
  if (entries.length === 0) return [];
  return new Negotiator({ headers: { 'accept-language': entries.join(',') } }).languages([...LANGUAGES]);
}

/**
 * The page language for a request: the signed-in person's choice, else the browser's
 * Accept-Language, else the organisation's default, then English (domain/i18n/languages.ts). The
 * switcher's cookie counts for anonymous visitors only: signed in, the switcher stores the choice on
 * the profile, and a cookie left on a shared computer must not decide for the next person.
 * Usable before the preHandler has run (error pages for a bad request or an unknown route).
 */
export function requestTranslator(request: FastifyRequest, organisationDefault?: string): Translator {
  if (request.i18n) return request.i18n;
  return translator(
    chooseLanguage({
      chosen: request.user?.language,
      cookie: request.user ? undefined : request.cookies?.[LANGUAGE_COOKIE],
      browser: browserLanguages(request.headers['accept-language']),
      organisation: organisationDefault,
    }),
  );
}

/**
 * Decorates every request with its translator (`request.i18n`) once the user is known. The signed-in
 * person's language is read from the people directory held in memory (kept current by each write of
 * this process, reloaded after DIRECTORY_MAX_AGE_MS for others'), not from the session's copy made
 * at sign-in: a change by HR, an import or the switcher on another device applies at the next page.
 */
export default fp(
  async function i18n(app: FastifyInstance) {
    app.decorateRequest('i18n', null);
    app.addHook('preHandler', async (request) => {
      const user = request.user;
      if (user) {
        const locale = await peopleDirectory(app.db.models)
          .localeOf(user.id, app.clock.now().getTime(), DIRECTORY_MAX_AGE_MS)
          .catch(() => undefined);
        // A copy: the session's own object stays as stored.
        if (locale !== undefined) {
          const { language: _old, ...rest } = user;
          request.user = isLanguage(locale) ? { ...rest, language: locale } : rest;
        }
      }
      const org = await app.services.organisation.currentProfile().catch(() => undefined);
      request.i18n = requestTranslator(request, org?.defaultLanguage);
    });
    // A page's language depends on Accept-Language and the cookies (session, switcher): a shared
    // cache must not hand one visitor's page to the next. Error pages too (made without preHandler).
    app.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        const vary = reply.getHeader('vary');
        reply.header('vary', vary ? `${String(vary)}, Accept-Language, Cookie` : 'Accept-Language, Cookie');
      }
      return payload;
    });
  },
  { name: 'i18n', dependencies: ['auth'] },
);
