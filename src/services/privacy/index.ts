import { erasePerson, erasureDutyFor } from './erase.js';
import { eraseOnRequest, exportSubject, privacyPage } from './requests.js';
import { applyRetention } from './retention.js';
import { loadRetentionSettings, retentionPage, saveRetentionSettings } from './settings.js';

/**
 * The privacy area's commands, bound in services/index.ts: retention settings, erasure (on request
 * or by the nightly retention run) and the duty that refuses it.
 */
export const privacyCommands = {
  loadRetentionSettings,
  erasureDutyFor,
  erasePerson,
  applyRetention,
  saveRetentionSettings,
  retentionPage,
  // Personal-data requests (GDPR Art. 15 and 17): HR's page, the export, erasure after confirmation.
  privacyPage,
  exportSubject,
  eraseOnRequest,
};
