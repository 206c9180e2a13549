import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

/**
 * The same views folder and options as the web app's createEta() (plugins/views.ts), built here so
 * the SCORM builder does not import fastify plugins: the SCO reuses the app's partials as they are.
 */
const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));

export const scoEta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: false });
