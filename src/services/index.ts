import { assignmentsCommands } from './assignments/index.js';
import { auditCommands } from './audit/index.js';
import { bindCommands, type ServiceContext } from './context.js';
import { coursesCommands } from './courses/index.js';
import { demoCommands } from './demo/index.js';
import { identityCommands } from './identity/index.js';
import { jobsCommands } from './jobs/index.js';
import { learningCommands } from './learning/index.js';
import { backupCommands } from './operations/backup/index.js';
import { metricsCommands } from './operations/metrics.js';
import { organisationCommands } from './organisation/index.js';
import { peopleCommands } from './people/index.js';
import { policyCommands } from './policy/index.js';
import { privacyCommands } from './privacy/index.js';
import { quizCommands } from './quiz/index.js';
import { recordsCommands } from './records/index.js';
import { reportingCommands } from './reporting/index.js';
import { xapiCommands } from './xapi/index.js';

/**
 * The one place services are wired: every area's commands bound to one context. The app builds it
 * once (`app.services`, plugins/services.ts), and so do the scheduler and the CLI, from the same
 * context, instead of each assembling its own dependencies.
 */
export function createServices(ctx: ServiceContext) {
  return {
    people: bindCommands(ctx, peopleCommands),
    identity: bindCommands(ctx, identityCommands),
    assignments: bindCommands(ctx, assignmentsCommands),
    learning: bindCommands(ctx, learningCommands),
    quiz: bindCommands(ctx, quizCommands),
    records: bindCommands(ctx, recordsCommands),
    reporting: bindCommands(ctx, reportingCommands),
    audit: bindCommands(ctx, auditCommands),
    jobs: bindCommands(ctx, jobsCommands),
    demo: bindCommands(ctx, demoCommands),
    organisation: bindCommands(ctx, organisationCommands),
    policy: bindCommands(ctx, policyCommands),
    courses: bindCommands(ctx, coursesCommands),
    metrics: bindCommands(ctx, metricsCommands),
    privacy: bindCommands(ctx, privacyCommands),
    backup: bindCommands(ctx, backupCommands),
    xapi: bindCommands(ctx, xapiCommands),
  };
}

export type Services = ReturnType<typeof createServices>;
export type { ServiceContext } from './context.js';
