import { runNightly } from './nightly.js';
import { runSweep } from './sweep/index.js';

export type { NightlyReport } from './nightly.js';
export type { SweepReport } from './sweep/index.js';

/**
 * The jobs area's commands, bound to the service context in services/index.ts: the refresher
 * sweep (every 15 minutes) and the nightly job (once per UTC day), run by the scheduler and `jobs:run`.
 */
export const jobsCommands = { runSweep, runNightly };
