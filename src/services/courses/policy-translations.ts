import type { Models } from '../../db/models/index.js';
import type { PolicyClauseTranslationDoc } from '../../db/models/policy-translation.js';
import type { Course } from '../../domain/course.js';
import type { CourseTranslation } from '../../domain/course-translation.js';
import { type ClauseTranslation, translatedOverlay } from '../../domain/policy-translation.js';
import type { PolicyOverlay } from '../../domain/policy-version.js';

/** `<courseId>\n<lang>` → clause id → HR's saved translation of that changed clause. */
export type ClauseTranslations = ReadonlyMap<string, ReadonlyMap<string, ClauseTranslation>>;

export const clauseTranslationsKey = (courseId: string, lang: string) => `${courseId}\n${lang}`;

/** Every saved clause translation (a handful per course and language), read with the policy heads. */
export async function readClauseTranslations(
  models: Models,
): Promise<{ byCourse: ClauseTranslations; key: unknown[] }> {
  const docs = await models.PolicyClauseTranslation.find({}).lean<PolicyClauseTranslationDoc[]>();
  const byCourse = new Map<string, Map<string, ClauseTranslation>>();
  for (const d of docs) {
    const k = clauseTranslationsKey(d.courseId, d.lang);
    const clauses = byCourse.get(k) ?? new Map<string, ClauseTranslation>();
    byCourse.set(k, clauses);
    clauses.set(d.clauseId, { clauseId: d.clauseId, source: d.source, wording: d.wording ?? {} });
  }
  return { byCourse, key: docs.map((d) => [d._id, d.rev]).sort() };
}

/**
 * The published overlay in a complete translation's language, or undefined while a clause it changes
 * has no translation made for its current English (the translation is then out of date).
 */
export function overlayInLanguage(
  template: Course,
  translation: CourseTranslation,
  overlay: PolicyOverlay,
  saved: ClauseTranslations,
): PolicyOverlay | undefined {
  if (!translation.course) return undefined;
  return translatedOverlay({
    overlay,
    english: template.clauses,
    translated: translation.course.clauses,
    saved: saved.get(clauseTranslationsKey(template.id, translation.language)) ?? new Map(),
  });
}
