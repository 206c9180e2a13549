import { create } from 'xmlbuilder2';
import type { Course } from '../domain/course.js';
import { SOURCE_LANGUAGE } from '../domain/i18n/languages.js';
import type { ScormBuildOptions, ScormFormat } from './types.js';

/** The single launchable file of the SCO. */
export const LAUNCH_FILE = 'index.html';

/**
 * The schema control files each package carries at its root (some LMSs validate the manifest against
 * the packaged copies and refuse a package without them): the ones `xsi:schemaLocation` names, plus
 * what those import or include. Copies of the official files in `xsd/<set>/` (see xsd/SOURCES.md).
 */
const LOM_FILES = [
  'lom.xsd',
  'common/anyElement.xsd',
  'common/dataTypes.xsd',
  'common/elementNames.xsd',
  'common/elementTypes.xsd',
  'common/rootElement.xsd',
  'common/vocabTypes.xsd',
  'common/vocabValues.xsd',
  'unique/strict.xsd',
  'vocab/strict.xsd',
  'extend/strict.xsd',
];

export const SCHEMA_FILES: Record<ScormFormat, { set: string; files: readonly string[] }> = {
  scorm12: {
    set: 'scorm12',
    files: ['imscp_rootv1p1p2.xsd', 'imsmd_rootv1p2p1.xsd', 'adlcp_rootv1p2.xsd', 'ims_xml.xsd'],
  },
  scorm2004: {
    set: 'scorm2004_4th',
    files: [
      'imscp_v1p1.xsd',
      'adlcp_v1p3.xsd',
      'adlseq_v1p3.xsd',
      'adlnav_v1p3.xsd',
      'imsss_v1p0.xsd',
      'xml.xsd',
      'imsss_v1p0auxresource.xsd',
      'imsss_v1p0control.xsd',
      'imsss_v1p0delivery.xsd',
      'imsss_v1p0limit.xsd',
      'imsss_v1p0objective.xsd',
      'imsss_v1p0random.xsd',
      'imsss_v1p0rollup.xsd',
      'imsss_v1p0seqrule.xsd',
      'imsss_v1p0util.xsd',
      // The LOM metadata (the package's language) and what lom.xsd includes and imports.
      ...LOM_FILES,
    ],
  },
};

/**
 * The package's title as an LMS lists it: the course, the organisation it is branded for and the
 * published policy version it was built from (the item inside keeps the plain course title).
 */
export function packageTitle(course: Course, options: Pick<ScormBuildOptions, 'branding'>): string {
  const organisation = options.branding ? ` · ${options.branding.organisation}` : '';
  return `${course.title}${organisation} · policy version ${course.policyVersion}`;
}

/**
 * The manifest's metadata: the edition, and the package's language (issue #26) as LOM
 * general/language, which both editions allow, each in its own LOM namespace.
 */
function addMetadata(
  doc: ReturnType<typeof create>,
  course: Course,
  edition: { schemaVersion: string; lomNamespace: string },
): void {
  doc
    .ele('metadata')
    .ele('schema')
    .txt('ADL SCORM')
    .up()
    .ele('schemaversion')
    .txt(edition.schemaVersion)
    .up()
    .ele(edition.lomNamespace, 'lom')
    .ele('general')
    .ele('language')
    .txt(course.language ?? SOURCE_LANGUAGE);
}

function identifiers(course: Course, format: ScormFormat) {
  // xs:ID values: must not start with a digit; course ids are slugs, so prefix them.
  const base = `course-${course.id}`;
  return {
    manifest: `${base}-${format}`,
    organization: `${base}-org`,
    item: `${base}-item`,
    resource: `${base}-sco`,
  };
}

/**
 * `imsmanifest.xml` for SCORM 1.2: masteryscore carries the course's passing score, except in the
 * "incomplete on fail" variant. An LMS that finds a masteryscore sets lesson_status itself at
 * LMSFinish (passed/failed from score.raw, as Moodle's scorm_12.js does), which would turn the SCO's
 * "incomplete" back into "failed"; without it the status the SCO sends is the one stored.
 */
function scorm12Manifest(course: Course, options: ScormBuildOptions, files: string[]): string {
  const id = identifiers(course, 'scorm12');
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(
    'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
    'manifest',
    {
      identifier: id.manifest,
      version: course.version.slice(0, 12),
      'xmlns:adlcp': 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation':
        'http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd ' +
        'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd ' +
        'http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd',
    },
  );
  addMetadata(doc, course, {
    schemaVersion: '1.2',
    lomNamespace: 'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1',
  });
  const item = doc
    .ele('organizations', { default: id.organization })
    .ele('organization', { identifier: id.organization })
    .ele('title')
    .txt(packageTitle(course, options))
    .up()
    .ele('item', { identifier: id.item, identifierref: id.resource, isvisible: 'true' });
  item.ele('title').txt(course.title);
  if (options.failStatus === 'failed') item.ele('adlcp:masteryscore').txt(String(course.quiz.passingScore));
  const resource = doc.ele('resources').ele('resource', {
    identifier: id.resource,
    type: 'webcontent',
    'adlcp:scormtype': 'sco',
    href: LAUNCH_FILE,
  });
  for (const file of files) resource.ele('file', { href: file });
  return doc.end({ prettyPrint: true });
}

/**
 * `imsmanifest.xml` for SCORM 2004 4th Edition. The primary objective is satisfied by measure, so an
 * LMS that runs sequencing judges pass/fail from `cmi.score.scaled` against the passing score.
 */
function scorm2004Manifest(course: Course, options: ScormBuildOptions, files: string[]): string {
  const id = identifiers(course, 'scorm2004');
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(
    'http://www.imsglobal.org/xsd/imscp_v1p1',
    'manifest',
    {
      identifier: id.manifest,
      version: course.version.slice(0, 12),
      'xmlns:adlcp': 'http://www.adlnet.org/xsd/adlcp_v1p3',
      'xmlns:adlseq': 'http://www.adlnet.org/xsd/adlseq_v1p3',
      'xmlns:adlnav': 'http://www.adlnet.org/xsd/adlnav_v1p3',
      'xmlns:imsss': 'http://www.imsglobal.org/xsd/imsss',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation':
        'http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd ' +
        'http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd ' +
        'http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd ' +
        'http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd ' +
        'http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd ' +
        'http://ltsc.ieee.org/xsd/LOM lom.xsd',
    },
  );
  addMetadata(doc, course, {
    schemaVersion: '2004 4th Edition',
    lomNamespace: 'http://ltsc.ieee.org/xsd/LOM',
  });
  const organization = doc
    .ele('organizations', { default: id.organization })
    .ele('organization', { identifier: id.organization });
  organization.ele('title').txt(packageTitle(course, options));
  const item = organization.ele('item', {
    identifier: id.item,
    identifierref: id.resource,
    isvisible: 'true',
  });
  item.ele('title').txt(course.title);
  item
    .ele('imsss:sequencing')
    .ele('imsss:objectives')
    .ele('imsss:primaryObjective', { objectiveID: 'passing-score', satisfiedByMeasure: 'true' })
    .ele('imsss:minNormalizedMeasure')
    .txt(String(course.quiz.passingScore / 100));
  const resource = doc.ele('resources').ele('resource', {
    identifier: id.resource,
    type: 'webcontent',
    'adlcp:scormType': 'sco',
    href: LAUNCH_FILE,
  });
  for (const file of files) resource.ele('file', { href: file });
  return doc.end({ prettyPrint: true });
}

/** The manifest for `options.format`, listing every file of the SCO (sorted, forward slashes). */
export function buildManifest(course: Course, options: ScormBuildOptions, files: string[]): string {
  const sorted = [...files].sort();
  return options.format === 'scorm12'
    ? scorm12Manifest(course, options, sorted)
    : scorm2004Manifest(course, options, sorted);
}
