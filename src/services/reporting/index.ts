import { complianceReportPdf } from './compliance-report.js';
import { dashboard, refreshDashboard } from './dashboard.js';
import { exportStatusCsv } from './export.js';
import { listFeedback, markFeedbackHandled } from './feedback.js';
import { employeeHistory, employeeHistoryCsv } from './history.js';
import { computeItemStats, itemStatsCsv, itemStatsPage } from './item-stats.js';
import { knowledgePage, storeMasterySnapshots } from './knowledge.js';
import { listMailFailures } from './mail-failures.js';
import { needsMe } from './needs-me.js';
import { listOutbox, outboxMessage } from './outbox.js';
import { recomputeSummaries } from './summaries.js';
import { teamStatus } from './team.js';

/** The reporting area's commands, bound to the service context in services/index.ts. */
export const reportingCommands = {
  dashboard,
  refreshDashboard,
  recomputeSummaries,
  exportStatusCsv,
  complianceReportPdf,
  employeeHistory,
  employeeHistoryCsv,
  needsMe,
  listMailFailures,
  teamStatus,
  listFeedback,
  markFeedbackHandled,
  listOutbox,
  outboxMessage,
  computeItemStats,
  itemStatsPage,
  itemStatsCsv,
  knowledgePage,
  storeMasterySnapshots,
};
