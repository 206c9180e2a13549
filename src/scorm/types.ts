/** The two SCORM editions we export. */
export const SCORM_FORMATS = ['scorm12', 'scorm2004'] as const;
export type ScormFormat = (typeof SCORM_FORMATS)[number];

/**
 * What a failed quiz reports. Some LMSs lock learners out of retries once a SCO reports `failed`,
 * so customers can ask for `incomplete` instead.
 */
export const FAIL_STATUSES = ['failed', 'incomplete'] as const;
export type FailStatus = (typeof FAIL_STATUSES)[number];

export interface ScormBuildOptions {
  format: ScormFormat;
  failStatus: FailStatus;
}

export const FORMAT_LABELS: Record<ScormFormat, string> = {
  scorm12: 'SCORM 1.2',
  scorm2004: 'SCORM 2004 4th Edition',
};
