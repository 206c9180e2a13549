import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { courseTextLanguage } from '../domain/course-text-language.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../domain/i18n/languages.js';
import { postCardOrg } from '../domain/post-card.js';
import type { MessageValues } from '../i18n/translator.js';
import { courseNoticeOf } from './courses.js';
import { requestTranslator } from './i18n.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const viewsDir = path.join(repoRoot, 'views');
export const publicDir = path.join(repoRoot, 'public');

/** One Eta configuration, shared by the web app and the SCORM builder (same partials, two outputs). */
export function createEta(cache: boolean): Eta {
  return new Eta({ views: viewsDir, cache, autoEscape: true, autoTrim: false });
}

/** `reply.generateCsrf()` once, on first use (`known` is a token made already, if any). */
function lazyCsrf(reply: FastifyReply, known: string | undefined): () => string {
  let token = known;
  return () => {
    token ??= reply.generateCsrf();
    return token;
  };
}

/** Whether this visitor's session holds a CSRF secret (@fastify/csrf-protection's `_csrf` key) already. */
function hasCsrfSecret(request: FastifyRequest): boolean {
  return Boolean((request.session as unknown as Record<string, unknown> | undefined)?._csrf);
}

/** The longest `next` the switcher posts (routes/language); past it, the page's path will do. */
const RETURN_TO_MAX = 2000;

/** Where the language switcher sends the browser back to: this page, or its path after a POST. */
function returnTo(method: string, url: string): string {
  const path = url.split('?')[0]!;
  const back = method === 'GET' && url.length <= RETURN_TO_MAX ? url : path;
  return back.length <= RETURN_TO_MAX ? back : '/';
}

/** Eta views with layouts and partials, static assets, and per-request template locals. */
export default fp(
  async function views(app: FastifyInstance) {
    const production = app.config.NODE_ENV !== 'development';
    await app.register(fastifyView, {
      engine: { eta: createEta(production) },
      templates: viewsDir,
      production,
    });
    await app.register(fastifyStatic, {
      root: publicDir,
      prefix: '/static/',
      maxAge: production ? '1d' : 0,
    });

    app.addHook('preHandler', async (request, reply) => {
      const user = request.user;
      const i18n = request.i18n ?? requestTranslator(request);
      const org = await app.services.organisation.currentProfile().catch(() => undefined);
      const csrfToken = user ? reply.generateCsrf() : undefined;
      const csrf = lazyCsrf(reply, csrfToken);
      reply.locals = {
        user,
        // Every template's messages (it.t('learn.lesson.next')), dates (it.i18n.day(d)) and the
        // page's language and direction for <html lang dir>.
        t: (key: string, values?: MessageValues) => i18n.t(key, values),
        i18n,
        lang: i18n.lang,
        dir: i18n.dir,
        // The language and direction of a course's text, which may differ from the page's (a fallback).
        courseText: courseTextLanguage,
        // Every signed-in page carries a logout form, so it needs a token.
        csrfToken,
        // A token made on demand, for forms an anonymous page may carry (the language switcher):
        // it starts a session, so only pages that show such a form make one.
        csrf,
        // The switcher's token only where a session exists already (signed in, or a sign-in form
        // made one): for any other visitor it is a GET form that only sets the preference cookie, so
        // viewing a page (a 404, /verify) stores no session.
        switcherCsrf: () => (user || hasCsrfSecret(request) ? csrf() : undefined),
        currentPath: request.url.split('?')[0],
        returnTo: returnTo(request.method, request.url),
        languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] })),
        // The organisation's name, logo and colour for the header (kept in memory by the service).
        org,
        // The same organisation as post cards draw it (views/partials/post-card.eta's `org`).
        cardOrg: postCardOrg(org),
        // Read when the page renders, after the handler looked the course up (plugins/courses.ts).
        get courseNotice() {
          return courseNoticeOf(request);
        },
      };
    });
  },
  { name: 'views', dependencies: ['auth', 'i18n'] },
);
