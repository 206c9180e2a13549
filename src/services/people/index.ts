import { bulkJob, confirmBulk, previewBulk, waitForBulkJob } from './bulk.js';
import { addPerson, editPerson, personToEdit } from './forms.js';
import { applyImport, importPreview, previewImport, previewPastedImport } from './import.js';
import { peopleView } from './list-view.js';
import { createPerson, listPeople, updatePerson } from './people.js';
import { departmentNames, pickedPeople, searchPeople } from './search.js';
import { linkSsoSubject } from './sso-link.js';

/**
 * The people area's commands, bound to the service context in services/index.ts: HR's people list
 * and forms, the audited create and update, and the CSV import (preview, then apply exactly that).
 * The importer's unaudited writes (`insertPerson`, `changePerson`) are internal, not commands.
 */
export const peopleCommands = {
  listPeople,
  peopleView,
  previewBulk,
  bulkJob,
  confirmBulk,
  waitForBulkJob,
  personToEdit,
  addPerson,
  editPerson,
  createPerson,
  updatePerson,
  linkSsoSubject,
  previewImport,
  previewPastedImport,
  importPreview,
  applyImport,
  searchPeople,
  departmentNames,
  pickedPeople,
};
