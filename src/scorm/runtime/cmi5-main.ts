import { connectCmi5 } from './cmi5-connect.js';
import { offlineSession } from './lms.js';
import { runSco } from './main.js';
import type { ScoConfig } from './model.js';

/**
 * Entry point of the cmi5 AU (issue #27): the same course as the SCORM SCO, over a cmi5 session.
 * Opened without the launch parameters (not from an LMS), it runs offline and says so.
 */
export function start(config: ScoConfig): void {
  runSco(config, connectCmi5() ?? offlineSession());
}
