import type { FastifyInstance } from 'fastify';
import {
  type Course,
  type DecisionNode,
  decisionNode,
  type ExamplePost,
  exampleById,
  type Lesson,
  lessonById,
} from '../../domain/course.js';
import { HttpError } from '../../plugins/auth.js';

/** Content lookups that answer 404 for unknown ids (ids were already shape-checked by the schema). */
export function findCourse(app: FastifyInstance, courseId: string): Course {
  const course = app.courses.get(courseId);
  if (!course)
    throw new HttpError(
      404,
      'There is no course at this address. Go back to My training to see your courses.',
    );
  return course;
}

export function findLesson(course: Course, lessonId: string): { lesson: Lesson; index: number } {
  const lesson = lessonById(course, lessonId);
  if (!lesson)
    throw new HttpError(
      404,
      `"${course.title}" has no such lesson. Open the course overview to see its lessons.`,
    );
  return { lesson, index: course.lessons.indexOf(lesson) };
}

export function findExample(course: Course, exampleId: string): { example: ExamplePost; index: number } {
  const example = exampleById(course, exampleId);
  if (!example)
    throw new HttpError(404, 'There is no such example post. Open the examples gallery to see them all.');
  return { example, index: course.examples.indexOf(example) };
}

export function findNode(course: Course, nodeId: string): DecisionNode {
  const node = decisionNode(course, nodeId);
  if (!node)
    throw new HttpError(
      404,
      'That step of the "Can I share this?" guide does not exist. Start again from the first question.',
    );
  return node;
}
