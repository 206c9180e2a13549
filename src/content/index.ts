/** Course content: load `courses/<id>/` from disk into validated domain objects. */
export { checkContent } from './check.js';
export { defaultCoursesDir } from './default-dir.js';
export { ContentError, type ContentIssue, formatIssue } from './issues.js';
export { loadCourse, loadCourses } from './load-course.js';
export { renderLessonMarkdown } from './markdown.js';
