import type { OutboxDoc } from '../../db/models/hr.js';
import { NotFound } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';

/** Messages per page of the outbox. */
export const OUTBOX_PAGE_SIZE = 20;

/** A stored message as the outbox lists it: without its bodies. */
export type OutboxSummary = Omit<OutboxDoc, 'html' | 'text'>;
export type OutboxMessage = OutboxDoc;

/** One page of the mail kept in the database (no SMTP server configured), newest first. */
export async function listOutbox(
  ctx: Pick<ServiceContext, 'models'>,
  input: { page: number },
): Promise<{ messages: OutboxSummary[]; hasNext: boolean }> {
  const rows = await ctx.models.Outbox.find({}, { html: 0, text: 0 })
    .sort({ createdAt: -1, _id: -1 })
    .skip((input.page - 1) * OUTBOX_PAGE_SIZE)
    .limit(OUTBOX_PAGE_SIZE + 1)
    .lean<OutboxSummary[]>();
  return { messages: rows.slice(0, OUTBOX_PAGE_SIZE), hasNext: rows.length > OUTBOX_PAGE_SIZE };
}

/** One stored message with both its parts; an unknown id is `NotFound`. */
export async function outboxMessage(
  ctx: Pick<ServiceContext, 'models'>,
  input: { id: string },
): Promise<OutboxMessage> {
  const message = await ctx.models.Outbox.findById(input.id).lean<OutboxDoc>();
  if (!message) throw new NotFound('reports.errors.noMessage');
  return message;
}
