import { Type } from 'typebox';
import { LANGUAGES } from '../../domain/i18n/languages.js';
import { FAIL_STATUSES, SCORM_FORMATS } from '../../scorm/index.js';
import { Slug } from '../form-schema.js';

export const Format = Type.Union(SCORM_FORMATS.map((f) => Type.Literal(f)));
export const FailStatusParam = Type.Union(FAIL_STATUSES.map((f) => Type.Literal(f)));

export const CourseParams = Type.Object({ courseId: Slug }, { additionalProperties: false });

export const PackageQuery = Type.Object(
  {
    format: Format,
    failStatus: Type.Optional(FailStatusParam),
    // The package's language; the route refuses one whose translation is not complete and current.
    lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))),
  },
  { additionalProperties: false },
);

export const PreviewFileParams = Type.Object(
  {
    courseId: Slug,
    format: Format,
    failStatus: FailStatusParam,
    // The package holds a handful of flat file names; anything else is a 404.
    '*': Type.String({ maxLength: 100 }),
  },
  { additionalProperties: false },
);

export const PlayerParams = Type.Object(
  { build: Type.Union([Type.Literal('scorm12.min.js'), Type.Literal('scorm2004.min.js')]) },
  { additionalProperties: false },
);

/** The cmi5 download: only the package's language (cmi5 has one format and no fail-status variant). */
export const Cmi5Query = Type.Object(
  { lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))) },
  { additionalProperties: false },
);
