import type { IndexDirection } from 'mongodb';
import type { Models } from './models/index.js';

/**
 * Secondary indexes for the queries that do not look documents up by `_id`, on the servers that
 * plan queries with them. MongoDB (and DocumentDB, Cosmos DB) would otherwise scan a whole
 * collection for these, e.g. the audit log for one person's history.
 *
 * FerretDB v1 accepts and maintains such indexes but never uses them (its plans scan for anything
 * but `_id`), so there they would only slow every write: `auto` skips them on FerretDB. The unique
 * indexes (e-mail, employee id) are different: they are the idempotency guard and are always created
 * with the schemas.
 */
export const QUERY_INDEXES: Partial<Record<keyof Models, Array<Record<string, IndexDirection>>>> = {
  // A person's history page: events about them, newest first (services/reporting/history.ts).
  AuditEvent: [{ subjectId: 1, _id: -1 }],
  Reminder: [{ userId: 1, createdAt: -1 }],
  // A manager's team (report-team.ts) and the people a department rule names (assignments.ts).
  User: [
    { managerId: 1, active: 1 },
    { department: 1, active: 1 },
  ],
  // Live state lists and their filters (report-lists.ts): course, then state, then department.
  Assignment: [{ courseId: 1, state: 1, department: 1 }],
  ReportListChunk: [{ courseId: 1, state: 1, chunk: 1 }],
  // Ending one person's sessions, and the nightly clean-up of expired ones.
  Session: [{ userId: 1 }, { expiresAt: 1 }],
  Outbox: [{ createdAt: -1, _id: -1 }],
  PolicyFeedback: [{ status: 1, createdAt: -1 }],
};

export type QueryIndexMode = 'auto' | 'on' | 'off';

/** Whether the server behind a `buildInfo` reply is FerretDB (it adds its own version field). */
export function isFerretdb(buildInfo: Record<string, unknown>): boolean {
  return typeof buildInfo.ferretdbVersion === 'string';
}

/** Index name: `q_` and the fields, so the indexes are recognisable in `listIndexes`. */
export function queryIndexName(keys: Record<string, IndexDirection>): string {
  return `q_${Object.keys(keys).join('_')}`;
}

/**
 * Creates the query indexes when `mode` says so (`auto`: unless the server is FerretDB). Creating
 * an index that exists is a no-op, so every start may call this.
 */
export async function ensureQueryIndexes(models: Models, mode: QueryIndexMode): Promise<void> {
  if (mode === 'off') return;
  const db = models.User.db.db;
  if (mode === 'auto' && db && isFerretdb(await db.admin().buildInfo())) return;
  for (const [name, indexes] of Object.entries(QUERY_INDEXES)) {
    const model = models[name as keyof Models];
    for (const keys of indexes ?? [])
      await model.collection.createIndex(keys, { name: queryIndexName(keys) });
  }
}
