import { clauseForm, discardDraft, editClause, revertClause, submitDraft } from './draft.js';
import { policyPage, previewDraft, versionPage } from './pages.js';
import { approveAndPublish } from './publish.js';
import { saveClauseTranslation, translationForm } from './translation.js';

/**
 * The policy area's commands, bound in services/index.ts: HR's draft of clause wording (edit one
 * clause, revert it, submit with a change note, discard), its preview as learners would see it,
 * the admin's approval that publishes the next version, and the pages (current policy, version diffs).
 */
export const policyCommands = {
  policyPage,
  clauseForm,
  editClause,
  revertClause,
  submitDraft,
  discardDraft,
  previewDraft,
  approveAndPublish,
  versionPage,
  translationForm,
  saveClauseTranslation,
};
