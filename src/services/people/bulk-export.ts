import { stringify } from 'csv-stringify/sync';
import { assignmentKey } from '../../db/keys.js';
import { peopleDirectory } from '../../db/people-directory.js';
import { dayKey } from '../../domain/dates.js';
import { trainingCell } from '../../domain/people/list-filters.js';
import { inPool } from '../../domain/pool.js';
import type { ServiceContext } from '../context.js';
import { neutraliseCell } from '../reporting/csv-rows.js';
import { trainingOf } from './list-view.js';
import { DIRECTORY_MAX_AGE_MS } from './people.js';

/**
 * The CSV of a bulk export: one row per person (the directory's fields, the manager's name) and,
 * per course, the training state and due date the list shows; cells that look like a formula are
 * neutralised. Each person in it is audited once (`person.exported`).
 */
export async function exportCsv(
  ctx: ServiceContext,
  input: { jobId: string; actorId: string; userIds: readonly string[]; now: Date },
): Promise<string> {
  const everyone = await peopleDirectory(ctx.models).everyone(input.now.getTime(), DIRECTORY_MAX_AGE_MS);
  const byId = new Map(everyone.map((h) => [h.entry._id, h.entry]));
  const courses = [...ctx.courses.values()];
  const training = await trainingOf(
    ctx.models,
    input.userIds,
    courses.map((c) => c.id),
  );
  const header = ['name', 'email', 'employee id', 'department', 'manager', 'active'];
  for (const c of courses) header.push(`${c.title}: state`, `${c.title}: due date`);
  const rows: string[][] = [header];
  const exported: string[] = [];
  for (const id of input.userIds) {
    const p = byId.get(id);
    if (!p) continue;
    exported.push(id);
    const row = [
      p.name,
      p.email,
      p.employeeId ?? '',
      p.department ?? '',
      byId.get(p.managerId ?? '')?.name ?? '',
      p.active ? 'yes' : 'no',
    ];
    for (const c of courses) {
      const a = training.get(assignmentKey(id, c.id)) ?? null;
      row.push(trainingCell(a).label, a?.dueAt ? dayKey(a.dueAt) : '');
    }
    rows.push(row.map(neutraliseCell));
  }
  await inPool(exported, 50, async (userId) => {
    await ctx.audit.append(
      {
        actorId: input.actorId,
        action: 'person.exported',
        targetType: 'user',
        targetId: userId,
        subjectId: userId,
        details: { bulkJobId: input.jobId },
      },
      input.now,
    );
  });
  return stringify(rows, { bom: true, record_delimiter: 'windows' });
}
