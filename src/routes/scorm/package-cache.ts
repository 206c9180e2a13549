import type { Course } from '../../domain/course.js';
import { buildScormFiles, buildScormPackage, type ScormBuildOptions } from '../../scorm/index.js';

/**
 * Built packages keyed by course version and options. Content only changes on restart, so a handful
 * of entries per course is the whole cache; the key includes the version hash so an edit never
 * serves a stale build.
 */
export function createPackageCache() {
  const zips = new Map<string, Promise<Buffer>>();
  const files = new Map<string, Promise<Map<string, Buffer>>>();
  const keyOf = (course: Course, o: ScormBuildOptions) =>
    `${course.id}:${course.version}:${o.format}:${o.failStatus}`;
  const remember = <T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = make();
      cache.set(key, hit);
      hit.catch(() => cache.delete(key));
    }
    return hit;
  };
  return {
    zip: (course: Course, o: ScormBuildOptions) =>
      remember(zips, keyOf(course, o), () => buildScormPackage(course, o)),
    files: (course: Course, o: ScormBuildOptions) =>
      remember(files, keyOf(course, o), () => buildScormFiles(course, o)),
  };
}
