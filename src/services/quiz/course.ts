import type { Course, Question } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';

/** The course a quiz URL names (a 404 for an unknown id). */
export function quizCourse(courses: ReadonlyMap<string, Course>, courseId: string): Course {
  const course = courses.get(courseId);
  if (!course) throw new NotFound('quiz.errors.noCourse');
  return course;
}

export function questionMap(course: Course): Map<string, Question> {
  return new Map(course.questions.map((q) => [q.id, q]));
}
