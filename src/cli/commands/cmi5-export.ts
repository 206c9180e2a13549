import { writeFile } from 'node:fs/promises';
import { LANGUAGES, type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { buildCmi5Package, cmi5ActivityBase, MOVE_ON, masteryScore } from '../../scorm/cmi5/index.js';
import { type CliCommand, CliUsageError, requireFlag, stringFlag } from '../types.js';
import { courseIn, oneOf } from './scorm-export.js';

export const command: CliCommand = {
  name: 'cmi5:export',
  usage:
    'cmi5:export <courseId> [--lang en|es|de|ar] --out <file.zip>   write a cmi5 package (one AU, moveOn CompletedAndPassed) for an LMS that takes cmi5',
  // The course as served, with the profile's branding, exactly as the HR download builds it.
  async run(ctx, args) {
    const courseId = args.positionals[0];
    if (!courseId) throw new CliUsageError('give the course id, e.g. cmi5:export social-media-policy');
    if (!ctx.courses.has(courseId))
      throw new CliUsageError(`no course "${courseId}"; known: ${[...ctx.courses.keys()].join(', ')}`);
    const lang = oneOf<Language>(stringFlag(args, 'lang') ?? SOURCE_LANGUAGE, LANGUAGES, 'lang');
    const course = courseIn(ctx, courseId, lang);
    const out = requireFlag(args, 'out');

    const started = performance.now();
    const branding = await ctx.services.courses.scormBranding({});
    const zip = await buildCmi5Package(course, {
      branding,
      activityBase: cmi5ActivityBase(ctx.config.BASE_URL),
    });
    await writeFile(out, zip);
    const ms = Math.round(performance.now() - started);
    ctx.out(
      `Wrote ${out}: cmi5, ${lang}, moveOn ${MOVE_ON}, masteryScore ${masteryScore(course)}, policy version ${course.policyVersion} for ${branding.organisation}, ` +
        `${(zip.length / 1024).toFixed(1)} KB in ${ms} ms.`,
    );
    return 0;
  },
};
