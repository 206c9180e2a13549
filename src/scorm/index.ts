/** SCORM export: the package builder. The runtime that ships inside the SCO lives in runtime/. */
export { buildScoFiles, buildScormFiles, buildScormPackage, packageFileName } from './build-package.js';
export { buildManifest, LAUNCH_FILE } from './manifest.js';
export {
  FAIL_STATUSES,
  type FailStatus,
  FORMAT_LABELS,
  SCORM_FORMATS,
  type ScormBuildOptions,
  type ScormFormat,
} from './types.js';
