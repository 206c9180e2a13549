import type { Course } from '../../domain/course.js';
import { buildCmi5Package, type Cmi5BuildOptions } from '../../scorm/cmi5/index.js';
import { buildScormFiles, buildScormPackage, packageKey, type ScormBuildOptions } from '../../scorm/index.js';

/** Builds kept per kind (zip, files): the options an HR team uses for the current version and a few before. */
const MAX_ENTRIES = 8;

/**
 * Built packages keyed by course, served version (which covers the profile values and policy
 * version the course uses), options and branding (organisation name, logo hash): a saved profile or
 * a published policy version gives a new package, never a stale build. The oldest builds are dropped.
 */
export function createPackageCache() {
  const zips = new Map<string, Promise<Buffer>>();
  const files = new Map<string, Promise<Map<string, Buffer>>>();
  const keyOf = (course: Course, o: ScormBuildOptions) => `${course.id}:${packageKey(course, o)}`;
  const remember = <T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = make();
      cache.set(key, hit);
      hit.catch(() => cache.delete(key));
      while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    }
    return hit;
  };
  return {
    zip: (course: Course, o: ScormBuildOptions) =>
      remember(zips, keyOf(course, o), () => buildScormPackage(course, o)),
    files: (course: Course, o: ScormBuildOptions) =>
      remember(files, keyOf(course, o), () => buildScormFiles(course, o)),
    // The cmi5 AU: the same key parts, plus the activity base its IRIs are built from.
    cmi5: (course: Course, o: Cmi5BuildOptions) =>
      remember(
        zips,
        `${keyOf(course, { format: 'scorm2004', failStatus: 'failed', ...o })}:cmi5:${o.activityBase}`,
        () => buildCmi5Package(course, o),
      ),
  };
}
