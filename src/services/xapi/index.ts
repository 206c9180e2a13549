import type { LearningEvent } from '../../domain/xapi/events.js';
import type { ServiceContext } from '../context.js';
import { rejectedStatements, xapiBacklog } from './backlog.js';
import { recountXapiBacklog } from './backlog-summary.js';
import { recordLearningEvent } from './record.js';
import { discardRefused, requeueRefused } from './refused.js';
import { sendTestStatement, sendXapiBatch } from './sender.js';
import { saveSettings, xapiSettings } from './settings.js';

export type { XapiBacklog } from './backlog.js';
export type { XapiSendReport } from './sender.js';
export type { XapiSettings, XapiSettingsInput } from './settings.js';
export { recordLearningEvent };

/**
 * The xAPI area (services.xapi, #27): the LRS settings, the outbox the learning services fill
 * through `recordLearningEvent` (hooks.ts), the job that sends it, and its backlog.
 */
export const xapiCommands = {
  xapiSettings,
  saveSettings,
  sendTestStatement,
  sendXapiBatch,
  xapiBacklog,
  recountXapiBacklog,
  rejectedStatements,
  requeueRefused,
  discardRefused,
  recordLearningEvent: (ctx: ServiceContext, input: { event: LearningEvent; now: Date }) =>
    recordLearningEvent(ctx, input.event, input.now),
};
