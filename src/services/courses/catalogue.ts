import { ORG_PROFILE_ID } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { PolicyHeadDoc } from '../../db/models/policy.js';
import type { Clock } from '../../domain/clock.js';
import type { Course } from '../../domain/course.js';
import { resolveCourse, servedPlaceholderValues } from '../../domain/course-resolve.js';
import {
  type CourseTranslation,
  type LanguageFallback,
  translationFallback,
} from '../../domain/course-translation.js';
import type { Language } from '../../domain/i18n/languages.js';
import { DEFAULT_PROFILE } from '../../domain/org-profile.js';
import { BASELINE_OVERLAY, type PolicyOverlay } from '../../domain/policy-version.js';
import { profileFromDoc } from '../organisation/profile.js';
import { answerInScopeLanguage } from './course-language.js';
import { type ClauseTranslations, overlayInLanguage, readClauseTranslations } from './policy-translations.js';

/**
 * The courses as served. `templates` are the course files as loaded (placeholders unfilled); the
 * served Map (`app.courses` / `ctx.courses`, the one object 60+ readers hold) is re-resolved IN
 * PLACE from them whenever the organisation profile or a published policy version (`policy_heads`)
 * changes. Every process re-reads both at most every REFRESH_MS (the `onRequest` hook, the jobs and
 * the CLI call `refresh()`; a fresh catalogue costs no database read), and at once after its own
 * profile save or policy publish (`refresh({ force: true })`). Another process follows within REFRESH_MS.
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
  /** The placeholder values the courses are served with now (the fallbacks before the first read). */
  values(): ReadonlyMap<string, string>;
  /**
   * The course as served in `lang`: its complete, current translation resolved like the source (same
   * placeholder values), or the fallback saying why the learner gets the source course.
   */
  inLanguage(courseId: string, lang: Language): { course?: Course; fallback?: LanguageFallback };
  /** Every translation of a course with its state now (for HR: which are out of date or partial). */
  translationsOf(courseId: string): TranslationState[];
  /** A course's translation as loaded (its files: placeholders unfilled, no overlay). */
  translationOf(courseId: string, lang: Language): CourseTranslation | undefined;
}

export interface TranslationState {
  language: Language;
  /** undefined: complete and current, served to learners in that language. */
  fallback: LanguageFallback | undefined;
  lessons: number;
  /** Out of date only because the published policy version n changed clauses HR has not translated yet. */
  clausesToTranslate?: number;
}

interface State {
  values: ReadonlyMap<string, string>;
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
  const values = servedPlaceholderValues(doc ? profileFromDoc(doc) : DEFAULT_PROFILE);
  const overlays = new Map(heads.map((h) => [h._id, overlayFromHead(h)]));
  const sortedHeads = heads.map((h) => [h._id, h.n, h.overlay]).sort();
  return {
    values,
    overlays,
    clauseTranslations: clauseTranslations.byCourse,
    key: JSON.stringify([[...values], sortedHeads, clauseTranslations.key]),
  };
}

/**
 * The catalogue over `served` (whose entries, as given, become the templates). Until the first
 * refresh the served Map holds the templates as they are.
 */
export function createCatalogue(deps: {
  models: Models;
  served: Map<string, Course>;
  clock: Clock;
  /** Course id → its translations (content/translation/); none by default. */
  translations?: ReadonlyMap<string, readonly CourseTranslation[]>;
}): Catalogue {
  const { models, served, clock } = deps;
  const translations = deps.translations ?? new Map<string, readonly CourseTranslation[]>();
  const templates: ReadonlyMap<string, Course> = new Map(served);
  let state: State | null = null;
  let readAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  const overlayOf = (courseId: string) => state?.overlays.get(courseId) ?? BASELINE_OVERLAY;
  const currentValues = () => state?.values ?? servedPlaceholderValues(DEFAULT_PROFILE);
  /** Translated courses resolved with the current values, made when first asked for after each change. */
  const translated = new Map<string, Course>();
  /** The published overlay in the translation's language; undefined while a changed clause is untranslated. */
  const overlayIn = (courseId: string, translation: CourseTranslation | undefined) => {
    const template = templates.get(courseId);
    if (!template || !translation) return undefined;
    return overlayInLanguage(
      template,
      translation,
      overlayOf(courseId),
      state?.clauseTranslations ?? new Map(),
    );
  };
  const fallbackOf = (courseId: string, translation: CourseTranslation | undefined) => {
    const template = templates.get(courseId);
    if (!template) return 'missing' as const;
    return translationFallback(translation, {
      filesVersion: template.version,
      policyVersion: overlayOf(courseId).n,
      overlayTranslated: overlayIn(courseId, translation) !== undefined,
    });
  };
  const inLanguage = (courseId: string, lang: Language) => {
    const translation = translations.get(courseId)?.find((t) => t.language === lang);
    const fallback = fallbackOf(courseId, translation);
    if (fallback || !translation?.course) return { fallback: fallback ?? 'missing' };
    const key = `${courseId}\n${lang}`;
    let course = translated.get(key);
    if (!course) {
      // Current (fallbackOf): the published overlay with HR's translations of the clauses it changed.
      const overlay = overlayIn(courseId, translation) ?? BASELINE_OVERLAY;
      course = resolveCourse(translation.course, { values: currentValues(), overlay });
      translated.set(key, course);
    }
    return { course };
  };
  answerInScopeLanguage(served, inLanguage);
  const apply = (next: State) => {
    if (state?.key === next.key) return;
    state = next;
    translated.clear();
    for (const [id, template] of templates)
      served.set(id, resolveCourse(template, { values: next.values, overlay: overlayOf(id) }));
  };
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

  return {
    templates,
    overlayOf,
    values: currentValues,
    inLanguage,
    translationsOf: (courseId) =>
      (translations.get(courseId) ?? []).map((t) => {
        const fallback = fallbackOf(courseId, t);
        const clausesOnly =
          fallback === 'outdated' && t.course && t.translatedFrom === templates.get(courseId)?.version;
        return {
          language: t.language,
          fallback,
          lessons: t.lessons.length,
          ...(clausesOnly ? { clausesToTranslate: overlayOf(courseId).n } : {}),
        };
      }),
    translationOf: (courseId, lang) => translations.get(courseId)?.find((t) => t.language === lang),
    async refresh(options = {}) {
      // The test clock may be moved back: any distance from the last read beyond the TTL is stale.
      const fresh = Math.abs(clock.now().getTime() - readAt) < REFRESH_MS;
      if (fresh && !options.force) return;
      if (options.force && inFlight) await inFlight; // a read already under way may predate the change
      await reread();
    },
    async preview(courseId, options) {
      const template = templates.get(courseId);
      if (!template) return undefined;
      await this.refresh();
      const values = options.values ?? state?.values ?? servedPlaceholderValues(DEFAULT_PROFILE);
      return resolveCourse(template, { values, overlay: options.overlay ?? overlayOf(courseId) });
    },
  };
}
