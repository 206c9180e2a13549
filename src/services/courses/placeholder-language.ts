import type { StandIns } from '../../domain/course-resolve.js';
import type { CourseTranslation } from '../../domain/course-translation.js';
import { type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { keyWords } from '../../domain/i18n/words.js';
import { REGIONS, type Region } from '../../domain/org-profile.js';
import { translator } from '../../i18n/translator.js';
import { wordValue } from '../../i18n/words.js';

/**
 * The placeholder values a course in `lang` is filled with: the source values, with the ones that are
 * words rather than names the organisation typed put in that language. Today that is
 * `{{org.regions}}`: the profile's regions by their names in the catalogue (admin.org.region.*, as
 * the admin's own checkboxes say them), joined the language's way ("Estados Unidos y Reino Unido"),
 * or "the countries where you work" in that language when the profile names none. The source
 * language keeps its values exactly (REGION_LABELS, comma-joined), so its version hash is unchanged.
 */
export function placeholderValuesIn(
  values: ReadonlyMap<string, string>,
  regions: readonly Region[],
  lang: Language,
): ReadonlyMap<string, string> {
  if (lang === SOURCE_LANGUAGE || !values.has('org.regions')) return values;
  const t = translator(lang);
  const named = REGIONS.filter((r) => regions.includes(r));
  const words =
    named.length > 0
      ? wordValue(t, { list: named.map((r) => keyWords(`admin.org.region.${r}`)), join: 'and' })
      : t.t('course.placeholder.orgRegionsNone');
  return new Map([...values, ['org.regions', String(words)]]);
}

/** The values a course is filled with, and a translation's stand-ins for the placeholders the profile leaves empty. */
export interface PlaceholderFill {
  values: ReadonlyMap<string, string>;
  standIns?: StandIns;
}

/**
 * The fill of a translation: `values` (already in its language, `placeholderValuesIn`) with each
 * placeholder the profile has no value for (`standingIn`) said by the translation's own stand-in
 * (translation.yaml `placeholders:`, checked by content:check), fitted to its sentence when filled.
 * The value holds the stand-in's phrase, so the course version covers it.
 */
export function translationFill(
  values: ReadonlyMap<string, string>,
  standingIn: ReadonlySet<string>,
  translation: Pick<CourseTranslation, 'standIns'> | undefined,
): PlaceholderFill {
  const standIns = new Map(
    Object.entries(translation?.standIns ?? {}).filter(([name]) => standingIn.has(name)),
  );
  if (standIns.size === 0) return { values };
  const filled = new Map(values);
  for (const [name, standIn] of standIns) filled.set(name, standIn.phrase);
  return { values: filled, standIns };
}
