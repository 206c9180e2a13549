/** cmi5 export (issue #27): the course structure and the package. The AU's runtime lives in ../runtime/cmi5-*.ts. */
export { buildCmi5Files, buildCmi5Package, cmi5FileName } from './build-package.js';
export {
  buildCourseStructure,
  CMI5_NAMESPACE,
  type Cmi5BuildOptions,
  COURSE_STRUCTURE_FILE,
  cmi5ActivityBase,
  cmi5Ids,
  MOVE_ON,
  masteryScore,
} from './course-structure.js';
