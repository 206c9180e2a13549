import { insertIfNew } from '../../db/insert-once.js';
import type { PolicyClauseTranslationDoc } from '../../db/models/policy-translation.js';
import { claimOnceOrTakeOver } from '../../db/once-claims.js';
import { Conflict, Invalid } from '../../domain/errors.js';
import type { Language } from '../../domain/i18n/languages.js';
import { type ClauseField, changedFields, wordingHash } from '../../domain/policy-translation.js';
import { BASELINE_POLICY_VERSION, type ClauseWording } from '../../domain/policy-version.js';
import type { ServiceContext } from '../context.js';
import { announceSettingChanged } from '../settings-announce.js';
import { courseTemplate } from './state.js';

/**
 * HR's way back for a course translation after a policy version is published in the app: the clauses
 * the published overlay changed, in English, and HR's translation of the fields each one changed.
 * Once every changed clause has a translation made for its current English, the catalogue serves the
 * translation again with those texts (services/courses/policy-translations.ts).
 */

export interface ClauseToTranslate {
  clauseId: string;
  number: string;
  /** The published English wording, and the translation file's wording of the clause (before the change). */
  english: ClauseWording;
  before: ClauseWording;
  fields: ClauseField[];
  /** The saved translation's text (prefilled), and whether it was made for the current English. */
  saved: Partial<ClauseWording>;
  current: boolean;
  sourceHash: string;
  rev: number;
}

export interface TranslationFormPage {
  courseId: string;
  lang: Language;
  /** The published version (1: nothing published in the app, nothing to translate). */
  n: number;
  clauses: ClauseToTranslate[];
}

const docId = (courseId: string, lang: string, clauseId: string) => `${courseId}:${lang}:${clauseId}`;

/** The complete translation whose files are current (only then can clause translations make it servable). */
function translationFiles(ctx: ServiceContext, courseId: string, lang: Language) {
  const template = courseTemplate(ctx, courseId);
  const translation = ctx.catalogue.translationOf(courseId, lang);
  if (
    !translation?.course ||
    translation.status !== 'complete' ||
    translation.translatedFrom !== template.version
  )
    throw new Invalid('policyTranslation.errors.noTranslation');
  return { template, translated: translation.course };
}

export async function translationForm(
  ctx: ServiceContext,
  input: { courseId: string; lang: Language },
): Promise<TranslationFormPage> {
  const { template, translated } = translationFiles(ctx, input.courseId, input.lang);
  await ctx.catalogue.refresh();
  const overlay = ctx.catalogue.overlayOf(input.courseId);
  const ids = Object.keys(overlay.clauses);
  const docs = await Promise.all(
    ids.map((id) =>
      ctx.models.PolicyClauseTranslation.findById(
        docId(input.courseId, input.lang, id),
      ).lean<PolicyClauseTranslationDoc>(),
    ),
  );
  const clauses = template.clauses.flatMap((english): ClauseToTranslate[] => {
    const after = overlay.clauses[english.id];
    const before = translated.clauses.find((c) => c.id === english.id);
    if (!after || !before) return [];
    const doc = docs[ids.indexOf(english.id)];
    const sourceHash = wordingHash(after);
    return [
      {
        clauseId: english.id,
        number: english.number,
        english: after,
        before: { title: before.title, summary: before.summary, text: before.text },
        fields: changedFields(english, after),
        saved: doc?.wording ?? {},
        current: !!doc && wordingHash(doc.source) === sourceHash,
        sourceHash,
        rev: doc?.rev ?? 0,
      },
    ];
  });
  return { courseId: input.courseId, lang: input.lang, n: overlay.n, clauses };
}

/**
 * Saves HR's translation of one changed clause (versioned write: the form's `rev`). Refused when no
 * published version changed the clause, when the English changed since the form was shown
 * (`sourceHash`), when the form is stale (`rev`), or when a field is missing or not one it changed.
 */
export async function saveClauseTranslation(
  ctx: ServiceContext,
  input: {
    actorId: string;
    courseId: string;
    lang: Language;
    clauseId: string;
    sourceHash: string;
    rev: number;
    fields: Partial<ClauseWording>;
    now: Date;
  },
): Promise<{ complete: boolean }> {
  const { template } = translationFiles(ctx, input.courseId, input.lang);
  await ctx.catalogue.refresh({ force: true });
  const overlay = ctx.catalogue.overlayOf(input.courseId);
  const after = overlay.clauses[input.clauseId];
  const english = template.clauses.find((c) => c.id === input.clauseId);
  if (overlay.n === BASELINE_POLICY_VERSION || !after || !english)
    throw new Invalid('policyTranslation.errors.notChanged');
  if (wordingHash(after) !== input.sourceHash) throw new Conflict('policyTranslation.errors.englishChanged');
  const fields = changedFields(english, after);
  const given = Object.keys(input.fields).filter((f) => input.fields[f as ClauseField] !== undefined);
  if (given.some((f) => !fields.includes(f as ClauseField)))
    throw new Invalid('policyTranslation.errors.notAField');
  const wording: Partial<ClauseWording> = {};
  for (const f of fields) {
    const text = input.fields[f]?.trim();
    if (!text) throw new Invalid('policyTranslation.errors.missingField');
    wording[f] = text;
  }
  const id = docId(input.courseId, input.lang, input.clauseId);
  const doc: PolicyClauseTranslationDoc = {
    _id: id,
    courseId: input.courseId,
    lang: input.lang,
    clauseId: input.clauseId,
    source: after,
    wording,
    policyVersion: overlay.n,
    rev: input.rev + 1,
    savedBy: input.actorId,
    savedAt: input.now,
  };
  const written =
    input.rev === 0
      ? await insertIfNew(ctx.models.PolicyClauseTranslation, doc)
      : (await claimRevision(ctx, id, input.rev, input.now)) &&
        (await ctx.models.PolicyClauseTranslation.replaceOne({ _id: id, rev: input.rev }, doc))
          .matchedCount === 1;
  if (!written) throw new Conflict('policyTranslation.errors.staleForm');
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'policy.translation.saved',
      targetType: 'course',
      targetId: input.courseId,
      details: {
        courseId: input.courseId,
        language: input.lang,
        clauseId: input.clauseId,
        n: overlay.n,
        fields,
      },
    },
    input.now,
  );
  await ctx.catalogue.refresh({ force: true });
  await announceSettingChanged(ctx, 'policy');
  const saved = ctx.catalogue.translationsOf(input.courseId).find((t) => t.language === input.lang);
  return { complete: saved?.fallback === undefined };
}

/** A claim older than this whose save never followed is taken for a claimant that died. */
const ABANDONED_MS = 60_000;

/**
 * Claims save `rev + 1` of a clause translation: of editors saving from the same form revision
 * exactly one goes on (the others get the stale-form conflict). The replace's own filter on `rev`
 * is no such claim on FerretDB v1, where racing filtered writes can all match. A claim still not
 * followed by its save a minute later (its process died in between) is taken over, so the clause
 * never stays unsavable; savers from an older form still conflict.
 */
function claimRevision(ctx: ServiceContext, id: string, rev: number, now: Date): Promise<boolean> {
  return claimOnceOrTakeOver(ctx.models, `policy-translation:${id}:${rev + 1}`, now, {
    abandonedAfterMs: ABANDONED_MS,
    stillUndone: async () => {
      const stored = await ctx.models.PolicyClauseTranslation.findById(id, { rev: 1 }).lean<{
        rev: number;
      }>();
      return stored?.rev === rev;
    },
  });
}
