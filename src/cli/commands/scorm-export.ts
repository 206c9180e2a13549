import { writeFile } from 'node:fs/promises';
import type { Course } from '../../domain/course.js';
import type { LanguageFallback } from '../../domain/course-translation.js';
import { LANGUAGES, type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import {
  buildScormPackage,
  FAIL_STATUSES,
  type FailStatus,
  SCORM_FORMATS,
  type ScormFormat,
} from '../../scorm/index.js';
import { runInCourseLanguage } from '../../services/courses/course-language.js';
import { type CliCommand, type CliContext, CliUsageError, requireFlag, stringFlag } from '../types.js';

/** A flag's value checked against its allowed values (cmi5:export reads --lang the same way). */
export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliUsageError(`--${flag} must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

export const command: CliCommand = {
  name: 'scorm:export',
  usage:
    'scorm:export <courseId> --format scorm12|scorm2004 [--fail-status failed|incomplete] [--lang en|es|de|ar] --out <file.zip>   write a SCORM package (in a complete, current translation with --lang)',
  // The package is the course as served: the saved profile's values and the published policy version
  // (cli.ts resolves the courses on the database before the command runs), with the profile's branding.
  async run(ctx, args) {
    const courseId = args.positionals[0];
    if (!courseId) throw new CliUsageError('give the course id, e.g. scorm:export social-media-policy');
    if (!ctx.courses.has(courseId))
      throw new CliUsageError(`no course "${courseId}"; known: ${[...ctx.courses.keys()].join(', ')}`);
    const lang = oneOf<Language>(stringFlag(args, 'lang') ?? SOURCE_LANGUAGE, LANGUAGES, 'lang');
    const course = courseIn(ctx, courseId, lang);
    const format = oneOf<ScormFormat>(requireFlag(args, 'format'), SCORM_FORMATS, 'format');
    const failStatus = oneOf<FailStatus>(
      stringFlag(args, 'fail-status') ?? 'failed',
      FAIL_STATUSES,
      'fail-status',
    );
    const out = requireFlag(args, 'out');

    const started = performance.now();
    const branding = await ctx.services.courses.scormBranding({});
    const zip = await buildScormPackage(course, { format, failStatus, branding });
    await writeFile(out, zip);
    const ms = Math.round(performance.now() - started);
    ctx.out(
      `Wrote ${out}: ${format}, ${lang}, fails report "${failStatus}", policy version ${course.policyVersion} for ${branding.organisation}, ` +
        `${(zip.length / 1024).toFixed(1)} KB in ${ms} ms.`,
    );
    return 0;
  },
};

const WHY_NOT: Record<LanguageFallback, string> = {
  missing: 'has no translation that can be served (run npm run content:check)',
  partial: 'is partial (only some lessons); a package must be all one language',
  outdated: 'is out of date (the source or the published policy changed since it was translated)',
};

/** The course as served in `lang`: looked up as a learner's page does, refused when not complete and current. */
export function courseIn(ctx: CliContext, courseId: string, lang: Language): Course {
  const scope = { language: () => lang, fallbacks: new Map<string, LanguageFallback>() };
  const course = runInCourseLanguage(scope, () => ctx.courses.get(courseId))!;
  const fallback = scope.fallbacks.get(courseId);
  if (fallback) throw new CliUsageError(`the ${lang} translation of "${courseId}" ${WHY_NOT[fallback]}`);
  return course;
}
