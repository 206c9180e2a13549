import { Type } from 'typebox';
import { ID_PATTERN } from '../../domain/course.js';
import { Slug } from '../form-schema.js';

/** Content ids in URLs (lessons, examples, decision-tree nodes): the course model's id pattern, bounded. */
export const ContentId = Type.String({ pattern: ID_PATTERN, maxLength: 80 });

export const CourseParams = Type.Object({ courseId: Slug }, { additionalProperties: false });
export const LessonParams = Type.Object(
  { courseId: Slug, lessonId: ContentId },
  { additionalProperties: false },
);
export const ExampleParams = Type.Object(
  { courseId: Slug, exampleId: ContentId },
  { additionalProperties: false },
);
export const NodeParams = Type.Object({ courseId: Slug, nodeId: ContentId }, { additionalProperties: false });

/** GET pages take no query string unless they say so; stray or injected keys are a 400. */
export const NoQuery = Type.Object({}, { additionalProperties: false });
