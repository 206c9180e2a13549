import type { PolicyOverlay } from '../../domain/policy-version.js';
import type { ServiceContext } from '../context.js';
import { scormBranding } from './scorm-branding.js';
import { brokenTranslation, translationPreview } from './translation-preview.js';

export { type Catalogue, createCatalogue, REFRESH_MS, type TranslationState } from './catalogue.js';

/** Re-reads the profile and published policy now (or when stale) and re-resolves the served courses. */
async function refreshCourses(ctx: ServiceContext, input: { force?: boolean } = {}): Promise<void> {
  await ctx.catalogue.refresh(input);
}

/** A course resolved with a draft overlay or other placeholder values, for previews; nothing is stored. */
function previewCourse(
  ctx: ServiceContext,
  input: { courseId: string; overlay?: PolicyOverlay; values?: ReadonlyMap<string, string> },
) {
  return ctx.catalogue.preview(input.courseId, { overlay: input.overlay, values: input.values });
}

/**
 * The courses area's commands, bound in services/index.ts: the served courses' refresh and previews, SCORM
 * branding, HR's preview of a translation's lessons (or of the problems of a broken one).
 */
export const coursesCommands = {
  refreshCourses,
  previewCourse,
  scormBranding,
  translationPreview,
  brokenTranslation,
};
