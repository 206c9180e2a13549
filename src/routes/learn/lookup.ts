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
import { NotFound } from '../../domain/errors.js';

/**
 * Content lookups that answer 404 for unknown ids (ids were already shape-checked by the schema).
 * `findCourse` is `requireCourse` with a message that points the learner back to My training.
 */
export function findCourse(app: FastifyInstance, courseId: string): Course {
  const course = app.courses.get(courseId);
  if (!course) throw new NotFound('learn.notFound.course');
  return course;
}

export function findLesson(course: Course, lessonId: string): { lesson: Lesson; index: number } {
  const lesson = lessonById(course, lessonId);
  if (!lesson) throw new NotFound('learn.notFound.lesson', { course: course.title });
  return { lesson, index: course.lessons.indexOf(lesson) };
}

export function findExample(course: Course, exampleId: string): { example: ExamplePost; index: number } {
  const example = exampleById(course, exampleId);
  if (!example) throw new NotFound('learn.notFound.example');
  return { example, index: course.examples.indexOf(example) };
}

export function findNode(course: Course, nodeId: string): DecisionNode {
  const node = decisionNode(course, nodeId);
  if (!node) throw new NotFound('learn.notFound.decide');
  return node;
}
