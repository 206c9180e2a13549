import { ORG_PROFILE_ID } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { PolicyHeadDoc } from '../../db/models/policy.js';
import type { Clock } from '../../domain/clock.js';
import type { Course } from '../../domain/course.js';
import { resolveCourse, servedPlaceholderValues, standingIn } from '../../domain/course-resolve.js';
import {
  type BrokenTranslation,
  type CourseTranslation,
  type LanguageFallback,
  translationFallback,
  translationState,
} from '../../domain/course-translation.js';
import { type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { DEFAULT_PROFILE, type Region } from '../../domain/org-profile.js';
import { BASELINE_OVERLAY, type PolicyOverlay } from '../../domain/policy-version.js';
import { profileFromDoc } from '../organisation/profile.js';
import { answerInScopeLanguage } from './course-language.js';
import { type PlaceholderFill, placeholderValuesIn, translationFill } from './placeholder-language.js';
import { type ClauseTranslations, overlayInLanguage, readClauseTranslations } from './policy-translations.js';

/**
 * The courses as served. `templates` are the course files as loaded (placeholders unfilled); the
 * served Map (`app.courses` / `ctx.courses`, the one object 60+ readers hold) is re-resolved IN
 * PLACE from them whenever the organisation profile or a published policy version (`policy_heads`)
 * changes. Every process re-reads both at most every REFRESH_MS (the `onRequest` hook, the jobs and
 * the CLI call `refresh()`; a fresh catalogue costs no database read), and at once after its own
 * profile save or policy publish (`refresh({ force: true })`). Another instance follows within a
 * second (the change feed's `setting` entry: plugins/change-feed.ts forces its refresh); REFRESH_MS
 * only bounds how long it lags while its change feed is failing.
 */
export const REFRESH_MS = 5_000;

export interface Catalogue {
  /** The course files as loaded: placeholders unfilled, no overlay. */
  readonly templates: ReadonlyMap<string, Course>;
  /** Re-reads the profile and the published versions if stale (or `force`), and re-resolves the served Map if they changed. */
  refresh(options?: { force?: boolean }): Promise<void>;
  /** A course resolved with a draft overlay and/or other values (defaults: the current ones); nothing is stored. */
  preview(
    courseId: string,
    options: { overlay?: PolicyOverlay; values?: ReadonlyMap<string, string> },
  ): Promise<Course | undefined>;
  /** The overlay a course is served with now (the baseline before any publish). */
  overlayOf(courseId: string): PolicyOverlay;
  /**
   * The placeholder values the courses are served with now (the fallbacks before the first read);
   * with `lang`, those a course in that language is filled with (`{{org.regions}}` in its words).
   */
  values(lang?: Language): ReadonlyMap<string, string>;
  /**
   * What a course in `lang` is filled with: `values(lang)` and, for a translation, its own stand-ins
   * for the placeholders the profile leaves empty (translation.yaml `placeholders:`).
   */
  fillFor(courseId: string, lang: Language): PlaceholderFill;
  /**
   * The course as served in `lang`: its complete, current translation resolved like the source (same
   * placeholder values), or the fallback saying why the learner gets the source course.
   */
  inLanguage(courseId: string, lang: Language): { course?: Course; fallback?: LanguageFallback };
  /** Every translation of a course with its state now, by language (for HR: partial, out of date, broken). */
  translationsOf(courseId: string): TranslationState[];
  /** A course's translation as loaded (its files: placeholders unfilled, no overlay). */
  translationOf(courseId: string, lang: Language): CourseTranslation | undefined;
}

/** A translation as HR's course pages list it: checked (two flags) or broken (never served). */
export type TranslationState = CheckedTranslationState | BrokenTranslationState;

export interface CheckedTranslationState {
  language: Language;
  broken: false;
  /** Every lesson translated (else partial). */
  complete: boolean;
  /** Made from the source as served now (else out of date); a partial one can be out of date too. */
  current: boolean;
  /** undefined: complete and current, served to learners in that language. */
  fallback: LanguageFallback | undefined;
  lessons: number;
  /** Out of date only because the published policy version n changed clauses HR has not translated yet. */
  clausesToTranslate?: number;
}

export interface BrokenTranslationState {
  language: Language;
  broken: true;
  /** content:check's `file:line …` messages for it. */
  problems: readonly string[];
  /** Learners get the source course, as if there were no translation. */
  fallback: 'missing';
}

interface State {
  values: ReadonlyMap<string, string>;
  /** The profile's regions, which `{{org.regions}}` names in a translated course's language. */
  regions: readonly Region[];
  /** The placeholders the profile has no value for: a translation says its own stand-in for them. */
  standingIn: ReadonlySet<string>;
  overlays: Map<string, PolicyOverlay>;
  /** HR's translations of the clauses the published versions changed (services/policy/translation.ts). */
  clauseTranslations: ClauseTranslations;
  /** The values and overlays as one string: an unchanged read re-resolves nothing. */
  key: string;
}

function overlayFromHead(head: PolicyHeadDoc): PolicyOverlay {
  return { n: head.n, clauses: head.overlay ?? {}, publishedAt: head.publishedAt, note: head.note ?? '' };
}

async function readState(models: Models): Promise<State> {
  const [doc, heads, clauseTranslations] = await Promise.all([
    models.OrgProfile.findOne({ _id: ORG_PROFILE_ID }).lean(),
    models.PolicyHead.find({}).lean<PolicyHeadDoc[]>(),
    readClauseTranslations(models),
  ]);
  const profile = doc ? profileFromDoc(doc) : DEFAULT_PROFILE;
  const values = servedPlaceholderValues(profile);
  const overlays = new Map(heads.map((h) => [h._id, overlayFromHead(h)]));
  const sortedHeads = heads.map((h) => [h._id, h.n, h.overlay]).sort();
  return {
    values,
    regions: profile.regions,
    standingIn: standingIn(profile),
    overlays,
    clauseTranslations: clauseTranslations.byCourse,
    key: JSON.stringify([[...values], sortedHeads, clauseTranslations.key]),
  };
}

interface CatalogueDeps {
  models: Models;
  served: Map<string, Course>;
  clock: Clock;
  /** Course id → its translations (content/translation/); none by default. */
  translations?: ReadonlyMap<string, readonly CourseTranslation[]>;
  /** Course id → its translations that fail the structural check, listed to HR; none by default. */
  broken?: ReadonlyMap<string, readonly BrokenTranslation[]>;
}

/** What the language helpers read of the catalogue's current state. */
interface Current {
  templates: ReadonlyMap<string, Course>;
  overlayOf(courseId: string): PolicyOverlay;
  values(lang: Language): ReadonlyMap<string, string>;
  standingIn(): ReadonlySet<string>;
  clauseTranslations(): ClauseTranslations;
}

type LanguageView = Pick<Catalogue, 'inLanguage' | 'translationsOf' | 'translationOf' | 'fillFor'> & {
  /** Forgets the translated courses resolved so far (the values or overlays changed). */
  clear(): void;
};

/** The courses in other languages: served translations resolved on demand, and their states for HR. */
function languageView(
  current: Current,
  translations: ReadonlyMap<string, readonly CourseTranslation[]>,
  broken: ReadonlyMap<string, readonly BrokenTranslation[]>,
): LanguageView {
  const { templates, overlayOf } = current;
  const translationOf = (courseId: string, lang: Language) =>
    translations.get(courseId)?.find((t) => t.language === lang);
  const fillFor = (courseId: string, lang: Language) =>
    translationFill(current.values(lang), current.standingIn(), translationOf(courseId, lang));
  /** Translated courses resolved with the current values, made when first asked for after each change. */
  const translated = new Map<string, Course>();
  /** The published overlay in the translation's language; undefined while a changed clause is untranslated. */
  const overlayIn = (courseId: string, translation: CourseTranslation) => {
    const template = templates.get(courseId);
    if (!template) return undefined;
    return overlayInLanguage(template, translation, overlayOf(courseId), current.clauseTranslations());
  };
  const sourceOf = (courseId: string, translation: CourseTranslation, template: Course) => ({
    filesVersion: template.version,
    policyVersion: overlayOf(courseId).n,
    overlayTranslated: overlayIn(courseId, translation) !== undefined,
  });
  const inLanguage = (courseId: string, lang: Language) => {
    const translation = translations.get(courseId)?.find((t) => t.language === lang);
    const template = templates.get(courseId);
    if (!translation || !template) return { fallback: 'missing' as const };
    const fallback = translationFallback(translation, sourceOf(courseId, translation, template));
    if (fallback || !translation.course) return { fallback: fallback ?? 'missing' };
    const key = `${courseId}\n${lang}`;
    let course = translated.get(key);
    if (!course) {
      // Current (translationFallback): the published overlay with HR's translations of the clauses it changed.
      const overlay = overlayIn(courseId, translation) ?? BASELINE_OVERLAY;
      course = resolveCourse(translation.course, { ...fillFor(courseId, lang), overlay });
      translated.set(key, course);
    }
    return { course };
  };
  const checkedState = (courseId: string, t: CourseTranslation): CheckedTranslationState => {
    const template = templates.get(courseId);
    const source = template
      ? sourceOf(courseId, t, template)
      : { filesVersion: '', policyVersion: overlayOf(courseId).n };
    const { complete, current: isCurrent } = translationState(t, source);
    const fallback = template ? translationFallback(t, source) : 'missing';
    const clausesOnly = fallback === 'outdated' && t.course && t.translatedFrom === template?.version;
    return {
      language: t.language,
      broken: false,
      complete,
      current: isCurrent,
      fallback,
      lessons: t.lessons.length,
      ...(clausesOnly ? { clausesToTranslate: overlayOf(courseId).n } : {}),
    };
  };
  return {
    inLanguage,
    translationsOf: (courseId) =>
      [
        ...(translations.get(courseId) ?? []).map((t) => checkedState(courseId, t)),
        ...(broken.get(courseId) ?? []).map(
          (b): BrokenTranslationState => ({
            language: b.language,
            broken: true,
            problems: b.problems,
            fallback: 'missing',
          }),
        ),
      ].sort((a, b) => a.language.localeCompare(b.language)),
    translationOf,
    fillFor: (courseId, lang) =>
      lang === SOURCE_LANGUAGE ? { values: current.values(lang) } : fillFor(courseId, lang),
    clear: () => translated.clear(),
  };
}

/**
 * Re-reads the state at most every REFRESH_MS (or at once when forced), one read at a time, and
 * hands each read to `apply`.
 */
function refresher(models: Models, clock: Clock, apply: (next: State) => void): Catalogue['refresh'] {
  let readAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;
  const reread = () => {
    inFlight ??= (async () => {
      try {
        apply(await readState(models));
      } finally {
        // A failed read is retried after the TTL too, not on every request while the database is down.
        readAt = clock.now().getTime();
        inFlight = null;
      }
    })();
    return inFlight;
  };
  return async (options = {}) => {
    // The test clock may be moved back: any distance from the last read beyond the TTL is stale.
    const fresh = Math.abs(clock.now().getTime() - readAt) < REFRESH_MS;
    if (fresh && !options.force) return;
    if (options.force && inFlight) await inFlight; // a read already under way may predate the change
    await reread();
  };
}

/**
 * The catalogue over `served` (whose entries, as given, become the templates). Until the first
 * refresh the served Map holds the templates as they are.
 */
export function createCatalogue(deps: CatalogueDeps): Catalogue {
  const { models, served, clock } = deps;
  const templates: ReadonlyMap<string, Course> = new Map(served);
  let state: State | null = null;

  const overlayOf = (courseId: string) => state?.overlays.get(courseId) ?? BASELINE_OVERLAY;
  const currentValues = (lang: Language = SOURCE_LANGUAGE) =>
    placeholderValuesIn(
      state?.values ?? servedPlaceholderValues(DEFAULT_PROFILE),
      state?.regions ?? DEFAULT_PROFILE.regions,
      lang,
    );
  const languages = languageView(
    {
      templates,
      overlayOf,
      values: currentValues,
      standingIn: () => state?.standingIn ?? standingIn(DEFAULT_PROFILE),
      clauseTranslations: () => state?.clauseTranslations ?? new Map(),
    },
    deps.translations ?? new Map(),
    deps.broken ?? new Map(),
  );
  answerInScopeLanguage(served, languages.inLanguage);
  const apply = (next: State) => {
    if (state?.key === next.key) return;
    state = next;
    languages.clear();
    for (const [id, template] of templates)
      served.set(id, resolveCourse(template, { values: next.values, overlay: overlayOf(id) }));
  };
  const refresh = refresher(models, clock, apply);

  return {
    templates,
    overlayOf,
    values: currentValues,
    inLanguage: languages.inLanguage,
    translationsOf: languages.translationsOf,
    translationOf: languages.translationOf,
    fillFor: languages.fillFor,
    refresh,
    async preview(courseId, options) {
      const template = templates.get(courseId);
      if (!template) return undefined;
      await refresh();
      const values = options.values ?? state?.values ?? servedPlaceholderValues(DEFAULT_PROFILE);
      return resolveCourse(template, { values, overlay: options.overlay ?? overlayOf(courseId) });
    },
  };
}
