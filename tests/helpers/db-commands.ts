import type { FastifyInstance } from 'fastify';

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

/**
 * Runs `fn` and returns the commands the app sent meanwhile, in order. Needs an app built with
 * `monitoredUri`. Commands from anything else running at the same time are counted too.
 */
export async function commandsDuring(app: FastifyInstance, fn: () => Promise<unknown>): Promise<DbCommand[]> {
  const client = app.db.conn.getClient();
  const seen: DbCommand[] = [];
  const listener = (e: { commandName: string; command: Record<string, unknown> }) => {
    const target = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    seen.push(`${e.commandName} ${typeof target === 'string' ? target : '-'}`);
  };
  client.on('commandStarted', listener);
  try {
    await fn();
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}
