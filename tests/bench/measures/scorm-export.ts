import type { Course } from '../../../src/domain/course.js';
import { buildScormFiles, buildScormPackage, SCORM_FORMATS } from '../../../src/scorm/index.js';
import { zipFiles } from '../../../src/scorm/zip.js';
import type { MeasureResult, Row } from '../lib/results.js';
import { percentile, ratio, round } from '../lib/stats.js';

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * 5. SCORM export of the course in both formats: the first build in a process (which bundles the
 * SCO runtime with esbuild) and warm builds, next to zipping the same files alone (the baseline).
 */
export async function measureScormExport(course: Course, repeats: number): Promise<MeasureResult> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const format of SCORM_FORMATS) {
    const options = { format, failStatus: 'failed' as const };
    const firstMs = await timeMs(() => buildScormPackage(course, options));
    const warm: number[] = [];
    let zip: Buffer = Buffer.alloc(0);
    for (let i = 0; i < repeats; i++) {
      warm.push(await timeMs(async () => (zip = await buildScormPackage(course, options))));
    }
    const files = await buildScormFiles(course, options);
    const zipOnly: number[] = [];
    for (let i = 0; i < repeats; i++) zipOnly.push(await timeMs(() => zipFiles(files)));
    const rawBytes = [...files.values()].reduce((a, b) => a + b.length, 0);
    const warmMs = percentile(warm, 50);
    const zipMs = percentile(zipOnly, 50);
    const measure = `SCORM ${format}`;
    rows.push(
      {
        measure,
        metric: 'build + zip (warm, median)',
        value: round(warmMs, 1),
        unit: 'ms',
        baseline: { label: 'zip alone', value: round(zipMs, 1) },
        ratio: ratio(warmMs, zipMs),
      },
      {
        measure,
        metric: 'first build in a process',
        value: round(firstMs),
        unit: 'ms',
        note: 'includes bundling the runtime (once per process)',
      },
      {
        measure,
        metric: 'zipped size',
        value: round(zip.length / 1024, 1),
        unit: 'KiB',
        note: `${round(rawBytes / 1024, 1)} KiB unzipped, ${files.size} files`,
      },
    );
    details[format] = { firstMs, warm, zipOnly, zipBytes: zip.length, rawBytes, files: [...files.keys()] };
  }
  return { id: 'scorm-export', title: 'SCORM export (both formats)', rows, details };
}
