import { verifyAudit } from './verify.js';

/** The audit area's commands, bound to the service context in services/index.ts. */
export const auditCommands = { verifyAudit };
