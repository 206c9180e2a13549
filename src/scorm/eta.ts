import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { SOURCE_LANGUAGE } from '../domain/i18n/languages.js';
import { type MessageValues, translator } from '../i18n/translator.js';

/**
 * The same views folder and options as the web app's createEta() (plugins/views.ts), built here so
 * the SCORM builder does not import fastify plugins: the SCO reuses the app's partials as they are.
 */
const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));

export const scoEta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: false });

/** The app's messages for the partials the SCO reuses (the post cards' learn.post.* chrome), in English. */
const english = translator(SOURCE_LANGUAGE);
export const scoText = (key: string, values?: MessageValues): string => english.t(key, values);
