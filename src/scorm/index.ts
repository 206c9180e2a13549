/** SCORM export: the package builder. The runtime that ships inside the SCO lives in runtime/. */
export {
  buildScoFiles,
  buildScormFiles,
  buildScormPackage,
  packageFileName,
  packageKey,
} from './build-package.js';
export { buildManifest, LAUNCH_FILE, packageTitle } from './manifest.js';
export {
  FAIL_STATUSES,
  type FailStatus,
  FORMAT_LABELS,
  logoFileName,
  SCORM_FORMATS,
  type ScormBranding,
  type ScormBuildOptions,
  type ScormFormat,
  type ScormLogo,
} from './types.js';
