import type { Region } from '../domain/org-profile.js';

/** The two SCORM editions we export. */
export const SCORM_FORMATS = ['scorm12', 'scorm2004'] as const;
export type ScormFormat = (typeof SCORM_FORMATS)[number];

/**
 * What a failed quiz reports. Some LMSs lock learners out of retries once a SCO reports `failed`,
 * so customers can ask for `incomplete` instead.
 */
export const FAIL_STATUSES = ['failed', 'incomplete'] as const;
export type FailStatus = (typeof FAIL_STATUSES)[number];

/** The organisation's logo as packaged beside the SCO page. */
export interface ScormLogo {
  contentType: 'image/png' | 'image/svg+xml';
  sha256: string;
  data: Buffer;
}

/** Whose package it is: the profile's name, and its logo when one is saved. */
export interface ScormBranding {
  organisation: string;
  logo: ScormLogo | null;
  /**
   * The regions whose jurisdiction notices and questions the package carries (the profile's, all
   * while it names none: domain/jurisdictions.ts). Absent: the course as given, every notice.
   */
  jurisdictions?: Region[];
}

/** Every package the SCO builder makes: the two SCORM editions and cmi5 (issue #27). */
export type PackageFormat = ScormFormat | 'cmi5';

export interface ScormBuildOptions {
  format: ScormFormat;
  failStatus: FailStatus;
  /** Without it the package is unbranded (the product's name, no logo). */
  branding?: ScormBranding;
}

/** What the SCO's files are built from, whichever package carries them. */
export interface ScoBuildOptions extends Omit<ScormBuildOptions, 'format'> {
  format: PackageFormat;
}

/** The package path of a packaged logo. */
export function logoFileName(logo: ScormLogo): string {
  return logo.contentType === 'image/png' ? 'logo.png' : 'logo.svg';
}

export const FORMAT_LABELS: Record<ScormFormat, string> = {
  scorm12: 'SCORM 1.2',
  scorm2004: 'SCORM 2004 4th Edition',
};
