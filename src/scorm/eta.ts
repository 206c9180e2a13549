import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Course } from '../domain/course.js';
import { SOURCE_LANGUAGE } from '../domain/i18n/languages.js';
import { type MessageValues, type Translator, translator } from '../i18n/translator.js';

/**
 * The same views folder and options as the web app's createEta() (plugins/views.ts), built here so
 * the SCORM builder does not import fastify plugins: the SCO reuses the app's partials as they are.
 */
const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));

export const scoEta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: false });

/**
 * The app's messages for the SCO page and the partials it reuses (the post cards' learn.post.* chrome),
 * in the course's language: a translated course (content/translation/) gives a package in that language.
 */
export function scoTranslator(course: Course): Translator {
  return translator(course.language ?? SOURCE_LANGUAGE);
}

/** `t` for templates rendered into the package. */
export function scoText(course: Course): (key: string, values?: MessageValues) => string {
  const text = scoTranslator(course);
  return (key, values) => text.t(key, values);
}
