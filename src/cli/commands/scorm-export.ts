import { writeFile } from 'node:fs/promises';
import {
  buildScormPackage,
  FAIL_STATUSES,
  type FailStatus,
  SCORM_FORMATS,
  type ScormFormat,
} from '../../scorm/index.js';
import { type CliCommand, CliUsageError, requireFlag, stringFlag } from '../types.js';

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliUsageError(`--${flag} must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

export const command: CliCommand = {
  name: 'scorm:export',
  usage:
    'scorm:export <courseId> --format scorm12|scorm2004 [--fail-status failed|incomplete] --out <file.zip>   write a SCORM package',
  // The package is the course as served: the saved profile's values and the published policy version
  // (cli.ts resolves the courses on the database before the command runs), with the profile's branding.
  async run(ctx, args) {
    const courseId = args.positionals[0];
    if (!courseId) throw new CliUsageError('give the course id, e.g. scorm:export social-media-policy');
    const course = ctx.courses.get(courseId);
    if (!course)
      throw new CliUsageError(`no course "${courseId}"; known: ${[...ctx.courses.keys()].join(', ')}`);
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
      `Wrote ${out}: ${format}, fails report "${failStatus}", policy version ${course.policyVersion} for ${branding.organisation}, ` +
        `${(zip.length / 1024).toFixed(1)} KB in ${ms} ms.`,
    );
    return 0;
  },
};
