import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Course } from '../domain/course.js';
import { SOURCE_LANGUAGE } from '../domain/i18n/languages.js';
import { courseForJurisdictions } from '../domain/jurisdictions.js';
import { postCard } from '../domain/post-card.js';
import { POST_VERDICT_LABELS, verdictChoices } from '../domain/verdict-labels.js';
import { buildScoBank, type ScoCardOrg } from './bank.js';
import { scoEta, scoText, scoTranslator } from './eta.js';
import { buildManifest, SCHEMA_FILES } from './manifest.js';
import type { ScoConfig } from './runtime/model.js';
import { encodeData } from './runtime/obfuscate.js';
import { runtimeBundle } from './runtime-bundle.js';
import { scoMessages } from './runtime-messages.js';
import { logoFileName, type ScoBuildOptions, type ScormBuildOptions, type ScormFormat } from './types.js';
import { zipFiles } from './zip.js';

/** The web app's stylesheets first (same look, same post cards, lesson scenarios), then the SCO's own layout. */
const STYLESHEETS = [
  '../../public/css/app.css',
  '../../public/css/posts.css',
  '../../public/css/scenario.css',
  './assets/sco.css',
].map((p) => fileURLToPath(new URL(p, import.meta.url)));

async function stylesheet(): Promise<string> {
  const parts = await Promise.all(STYLESHEETS.map((file) => readFile(file, 'utf8')));
  return parts.join('\n');
}

/** The schema control files for `format`, by package path (read once per process). */
const schemaFiles = new Map<ScormFormat, Promise<Array<[string, Buffer]>>>();
function packagedSchemas(format: ScormFormat): Promise<Array<[string, Buffer]>> {
  let hit = schemaFiles.get(format);
  if (!hit) {
    const { set, files } = SCHEMA_FILES[format];
    hit = Promise.all(
      files.map(async (name): Promise<[string, Buffer]> => {
        const bytes = await readFile(fileURLToPath(new URL(`./xsd/${set}/${name}`, import.meta.url)));
        return [name, bytes];
      }),
    );
    hit.catch(() => schemaFiles.delete(format));
    schemaFiles.set(format, hit);
  }
  return hit;
}

/**
 * A key per course version, option set and branding: stable for the same content, so builds stay
 * byte-identical. The course version already covers the profile values the course text uses.
 */
export function packageKey(course: Course, options: ScoBuildOptions): string {
  const brand = options.branding
    ? `:${options.branding.organisation}:${options.branding.logo?.sha256 ?? ''}:${options.branding.jurisdictions?.join(',') ?? '*'}`
    : '';
  return createHash('sha256')
    .update(
      `${course.version}:${course.language ?? SOURCE_LANGUAGE}:${options.format}:${options.failStatus}${brand}`,
    )
    .digest('base64url')
    .slice(0, 24);
}

/** The organisation post cards name in a branded package, with the packaged logo's path. */
function cardOrg(options: ScoBuildOptions): ScoCardOrg | null {
  const { branding } = options;
  if (!branding) return null;
  return { name: branding.organisation, logoUrl: branding.logo ? logoFileName(branding.logo) : null };
}

function scoConfig(course: Course, options: ScoBuildOptions): ScoConfig {
  const key = packageKey(course, options);
  return {
    format: options.format,
    failStatus: options.failStatus,
    courseId: course.id,
    passingScore: course.quiz.passingScore,
    questionsPerAttempt: Math.min(course.quiz.questionsPerAttempt, course.questions.length),
    maxAttempts: course.quiz.maxAttempts,
    review: course.quiz.review,
    lessonIds: course.lessons.map((l) => l.id),
    exampleCount: course.examples.length,
    bank: encodeData(buildScoBank(course, cardOrg(options)), key),
    key,
    messages: scoMessages(course, scoTranslator(course)),
  };
}

function treeNodesInOrder(course: Course) {
  const { start, nodes } = course.decisionTree;
  return [nodes[start]!, ...Object.values(nodes).filter((n) => n.id !== start)];
}

/** The course with only the jurisdiction notices and questions of the branding's regions (the draw runs on its bank). */
function packagedCourse(course: Course, options: ScoBuildOptions): Course {
  const regions = options.branding?.jurisdictions;
  return regions ? courseForJurisdictions(course, regions) : course;
}

/**
 * Every file of the SCO except the manifest, by path: one page, one script, one stylesheet.
 * The preview player serves these from memory; the zip adds the manifest.
 */
export async function buildScoFiles(given: Course, options: ScoBuildOptions): Promise<Map<string, Buffer>> {
  const course = packagedCourse(given, options);
  const logo = options.branding?.logo ?? null;
  // The package speaks the course's language: a translated course (i18n/<lang>/) gives a package in it.
  const text = scoTranslator(course);
  const html = scoEta.render('/scorm/sco', {
    course,
    lang: text.lang,
    dir: text.dir,
    organisation: options.branding?.organisation ?? null,
    logoPath: logo ? logoFileName(logo) : null,
    cardOrg: cardOrg(options),
    treeNodes: treeNodesInOrder(course),
    exampleCards: course.examples.map((example) => postCard(example)),
    clauseTitles: Object.fromEntries(course.clauses.map((c) => [c.id, `${c.number} ${c.title}`])),
    // The verdict names learners see on the web app's example pages (learn.verdict.*), in the course's language.
    verdicts: verdictChoices().map((v) => ({ ...v, label: text.t(`learn.verdict.${v.value}.label`) })),
    verdictLabels: Object.fromEntries(
      Object.keys(POST_VERDICT_LABELS).map((v) => [v, text.t(`learn.verdict.${v}.label`)]),
    ),
    t: scoText(course),
  });
  // A cmi5 AU carries the cmi5 runtime (its xAPI library), a SCORM SCO the SCORM one.
  const entry = options.format === 'cmi5' ? 'cmi5' : 'scorm';
  const script = `${await runtimeBundle(entry)}\nScoRuntime.start(${JSON.stringify(scoConfig(course, options))});\n`;
  const files = new Map<string, Buffer>([
    ['index.html', Buffer.from(html)],
    ['sco.css', Buffer.from(await stylesheet())],
    ['sco.js', Buffer.from(script)],
  ]);
  if (logo) files.set(logoFileName(logo), logo.data);
  return files;
}

/**
 * All files of the package: the SCO's files, `imsmanifest.xml` and beside it the schema control
 * files its `xsi:schemaLocation` names (control files, so not listed in the SCO's resource).
 */
export async function buildScormFiles(
  course: Course,
  options: ScormBuildOptions,
): Promise<Map<string, Buffer>> {
  const files = await buildScoFiles(course, options);
  files.set('imsmanifest.xml', Buffer.from(buildManifest(course, options, [...files.keys()])));
  for (const [name, bytes] of await packagedSchemas(options.format)) files.set(name, bytes);
  return files;
}

/** The zipped package, byte-identical for the same course version and options. */
export async function buildScormPackage(course: Course, options: ScormBuildOptions): Promise<Buffer> {
  return zipFiles(await buildScormFiles(course, options));
}

/** A download name such as `social-media-policy-scorm12-1a2b3c4d.zip`. */
export function packageFileName(course: Course, options: ScormBuildOptions): string {
  const fail = options.failStatus === 'incomplete' ? '-failincomplete' : '';
  const lang = course.language && course.language !== SOURCE_LANGUAGE ? `-${course.language}` : '';
  return `${course.id}-${options.format}${fail}${lang}-${course.version.slice(0, 8)}.zip`;
}
