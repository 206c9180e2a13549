import { command as auditVerify } from './commands/audit-verify.js';
import { command as backup } from './commands/backup.js';
import { command as cmi5Export } from './commands/cmi5-export.js';
import { command as contentCheck } from './commands/content-check.js';
import { command as i18nCheck } from './commands/i18n-check.js';
import { command as jobsRun } from './commands/jobs-run.js';
import { command as restore } from './commands/restore.js';
import { command as scimToken } from './commands/scim-token.js';
import { command as scormExport } from './commands/scorm-export.js';
import { command as seedDemo } from './commands/seed-demo.js';
import { command as userCreate } from './commands/user-create.js';
import { command as usersImport } from './commands/users-import.js';
import type { CliCommand } from './types.js';

/** Every operator command; one line each. */
export const commands: CliCommand[] = [
  userCreate,
  seedDemo,
  contentCheck,
  i18nCheck,
  auditVerify,
  scormExport,
  cmi5Export,
  usersImport,
  jobsRun,
  scimToken,
  backup,
  restore,
];
