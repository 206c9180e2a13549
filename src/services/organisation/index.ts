import {
  currentProfile,
  logoFile,
  previewProfile,
  profileDraft,
  saveProfile,
  saveProfileDraft,
} from './profile.js';

/**
 * The organisation area's commands, bound in services/index.ts: the profile every page shows, the
 * admin's preview-then-save edit, and the logo file.
 */
export const organisationCommands = {
  currentProfile,
  previewProfile,
  profileDraft,
  saveProfileDraft,
  saveProfile,
  logoFile,
};
