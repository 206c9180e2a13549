import mongoose, { type Connection } from 'mongoose';
import { copyLocalesToAssignments } from './assignment-locales.js';
import { migrateLegacyLocales } from './legacy-locales.js';
import { defineModels, ensureIndexes, type Models } from './models/index.js';
import { ensureQueryIndexes, type QueryIndexMode } from './query-indexes.js';

export interface Db {
  conn: Connection;
  models: Models;
  /**
   * True when the server answers a ping within the timeout; false at once while the driver knows
   * no server is reachable (the ping still goes out, so the driver checks the server again).
   */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDb(
  uri: string,
  dbName: string,
  queryIndexes: QueryIndexMode = 'auto',
): Promise<Db> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    // Fail fast while the database is down instead of queueing requests in memory.
    bufferCommands: false,
    serverSelectionTimeoutMS: 5_000,
    autoIndex: false,
    // FerretDB v1 has no transactions or retryable writes; all writes are acknowledged.
    retryWrites: false,
    writeConcern: { w: 1 },
    // Command started/succeeded/failed events: /metrics times database commands by name.
    monitorCommands: true,
  });
  await conn.asPromise();
  // What the driver last learned: a network error or a failed heartbeat marks the server unknown
  // at once, the next successful check marks it back. Without this a readiness probe during an
  // outage would wait in server selection and answer 200 once the database came back.
  let serverReachable = true;
  conn.getClient().on('topologyDescriptionChanged', (event) => {
    serverReachable = event.newDescription.hasDataBearingServers;
  });
  const models = defineModels(conn);
  await ensureIndexes(models);
  await ensureQueryIndexes(models, queryIndexes);

  return {
    conn,
    models,
    async ping(timeoutMs = 1_500) {
      const db = conn.db;
      if (!db) return false;
      const ping = db
        .admin()
        .ping()
        .then(() => true)
        .catch(() => false);
      if (!serverReachable) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ok = await Promise.race([ping, timeout]);
      clearTimeout(timer);
      return ok;
    },
    async close() {
      await conn.close();
    },
  };
}

/** Socket errors the driver can let through unwrapped when the server dies mid-command. */
const SOCKET_GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED']);

/**
 * Errors that mean "the database is unreachable right now" rather than a bug. A bulk write
 * (insertMany) wraps the network error in its own MongoBulkWriteError, as `errorResponse`; a
 * command written to a socket the server just closed fails with the bare socket error (EPIPE,
 * "This socket has been ended by the other party"), seen when FerretDB was killed under load.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const {
    name = '',
    code,
    errorResponse,
    cause,
  } = err as { name?: string; code?: unknown; errorResponse?: unknown; cause?: unknown };
  if (/MongoNetwork|ServerSelection|MongoNotConnected|MongoTopologyClosed|PoolCleared/.test(name))
    return true;
  if (typeof code === 'string' && SOCKET_GONE.has(code)) return true;
  return isDatabaseUnavailable(errorResponse, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/**
 * Runs an upsert, once more after a duplicate-key error: two upserts racing on a new `_id` can
 * both try to insert (on MongoDB as on FerretDB), and the loser's error means the document exists
 * now, so the second try updates it.
 */
export async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return upsert();
  }
}

/**
 * Data written before a change of meaning, fixed once per database (each marks itself as done).
 * Run by the app at start, not by every command-line tool: `lms restore` must find an empty
 * database empty, and restoring an older backup is migrated at the app's next start.
 */
export async function migrateData(models: Models): Promise<void> {
  await migrateLegacyLocales(models);
  // After it: the cleared and normalised languages are the ones copied.
  await copyLocalesToAssignments(models);
}
