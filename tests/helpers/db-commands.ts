import type { FastifyInstance } from 'fastify';
import { CHANGE_FEED_READ } from '../../src/db/people-directory.js';

/**
 * The URI with the driver's command monitoring turned on, so a test can count the database
 * commands a request sends (monitoring is fixed when a connection opens, so it goes in the URI).
 */
export function monitoredUri(uri: string): string {
  const [base = uri, query] = uri.split('?');
  // A URI without a path ("mongodb://host:port") needs its slash before the options.
  const withPath = /^[a-z+]+:\/\/[^/]+$/.test(base) ? `${base}/` : base;
  return `${withPath}?${query ? `${query}&` : ''}monitorCommands=true`;
}

/** One database command: its name and collection, e.g. "find progress" or "update cycles". */
export type DbCommand = `${string} ${string}`;

const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);

/** Whether a counted command changes data. */
export const isWrite = (command: DbCommand) => WRITES.has(command.split(' ')[0]!);

/** The filters a find, update or delete command carries. */
function filtersOf(name: string, command: Record<string, unknown>): Record<string, unknown>[] {
  const list = (key: string) =>
    Array.isArray(command[key]) ? (command[key] as { q: Record<string, unknown> }[]) : [];
  if (name === 'find') return [(command.filter ?? {}) as Record<string, unknown>];
  if (name === 'update') return list('updates').map((u) => u.q);
  if (name === 'delete') return list('deletes').map((d) => d.q);
  return [];
}

/** `{_id: value}` and nothing else: the only filter FerretDB v1 answers from an index. */
const isIdLookup = (filter: Record<string, unknown>) =>
  Object.keys(filter).length === 1 && typeof filter._id === 'string';

/**
 * The change-feed poller's reads (db/change-feed-poller.ts): on its own timer, never a request's, so
 * never counted, and neither are the people it reads again for the directory (CHANGE_FEED_READ).
 * What a request writes to the feed is counted.
 */
const POLLER_READS = new Set<DbCommand>(['find change_feed_head', 'find change_feed']);

/**
 * Runs `fn` and returns the commands the app sent meanwhile, in order. Needs an app built with
 * `monitoredUri`. Commands from anything else running at the same time are counted too.
 * With `scans`, every find, update or delete whose filter is not a plain `{_id: value}` (a scan of
 * the whole collection on FerretDB v1) is added to it, with the filter's fields.
 */
export async function commandsDuring(
  app: FastifyInstance,
  fn: () => Promise<unknown>,
  scans?: string[],
): Promise<DbCommand[]> {
  const client = app.db.conn.getClient();
  const seen: DbCommand[] = [];
  const listener = (e: { commandName: string; command: Record<string, unknown> }) => {
    const target = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    const command: DbCommand = `${e.commandName} ${typeof target === 'string' ? target : '-'}`;
    if (POLLER_READS.has(command) || e.command.comment === CHANGE_FEED_READ) return;
    seen.push(command);
    for (const filter of filtersOf(e.commandName, e.command)) {
      if (!isIdLookup(filter)) scans?.push(`${command} {${Object.keys(filter).join(', ')}}`);
    }
  };
  client.on('commandStarted', listener);
  try {
    await fn();
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}
