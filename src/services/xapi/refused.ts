import type { XapiOutboxDoc } from '../../db/models/xapi.js';
import { NotFound } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import { countMoved } from './backlog-summary.js';

/**
 * The admin's answer to a statement the LRS refused (#27, review 27-10): send it again (after the
 * LRS or its settings were fixed) or drop it. Only a refused row: a waiting one is the sender's.
 * Both audited; each command by `_id` alone.
 */
interface RefusedInput {
  id: string;
  actorId: string;
  now: Date;
}

async function refusedRow(
  ctx: ServiceContext,
  id: string,
): Promise<Pick<XapiOutboxDoc, '_id' | 'kind' | 'userId' | 'createdAt'>> {
  const row = await ctx.models.XapiOutbox.findById(id, {
    status: 1,
    kind: 1,
    userId: 1,
    createdAt: 1,
  }).lean<XapiOutboxDoc>();
  if (row?.status !== 'rejected') throw new NotFound('admin.xapi.errors.notRefused');
  return row;
}

async function audit(
  ctx: ServiceContext,
  action: string,
  row: Pick<XapiOutboxDoc, '_id' | 'kind' | 'userId'>,
  input: RefusedInput,
) {
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action,
      targetType: 'xapi',
      targetId: row._id,
      subjectId: row.userId,
      details: { statementId: row._id, kind: row.kind },
    },
    input.now,
  );
}

/** Back to pending, due now, as if never tried: the next run sends it (alone if it fails twice). */
export async function requeueRefused(ctx: ServiceContext, input: RefusedInput): Promise<void> {
  const row = await refusedRow(ctx, input.id);
  // Only while still refused: of two admins requeueing at once, one moves (and counts) it.
  const { modifiedCount } = await ctx.models.XapiOutbox.updateOne(
    { _id: row._id, status: 'rejected' },
    { $set: { status: 'pending', attempts: 0, nextAttemptAt: input.now, lastError: '', rejection: null } },
  );
  if (modifiedCount === 1)
    await countMoved(ctx, { pending: 1, rejected: -1, oldestPendingAt: row.createdAt }, input.now);
  await audit(ctx, 'xapi.statement.requeued', row, input);
}

/** Deleted: the LRS will never have it. */
export async function discardRefused(ctx: ServiceContext, input: RefusedInput): Promise<void> {
  const row = await refusedRow(ctx, input.id);
  const { deletedCount } = await ctx.models.XapiOutbox.deleteOne({ _id: row._id });
  await countMoved(ctx, { rejected: -deletedCount }, input.now);
  await audit(ctx, 'xapi.statement.discarded', row, input);
}
