import {
  createRule,
  createRuleFromForm,
  extendDueDate,
  extendDueDateFromForm,
  listRules,
  retireRule,
} from './assignments.js';
import {
  courseSettings,
  requestRenewal,
  requestRenewalFromForm,
  saveSettings,
  saveSettingsFromForm,
} from './course-settings.js';
import { ensureEnrolled } from './enrollment.js';

/** The assignments area's commands, bound to the service context in services/index.ts. */
export const assignmentsCommands = {
  createRule,
  createRuleFromForm,
  listRules,
  retireRule,
  extendDueDate,
  extendDueDateFromForm,
  ensureEnrolled,
  courseSettings,
  saveSettings,
  saveSettingsFromForm,
  requestRenewal,
  requestRenewalFromForm,
};
