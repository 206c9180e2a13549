import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { UserDoc } from '../../../db/models/user.js';
import type { ServiceContext } from '../../context.js';
import type { ErasureReason } from '../../privacy/erase.js';
import { erasePersonNow } from '../../privacy/erase-steps.js';

/**
 * The erasure ledger: one JSON line per erased person (`{"userId":…,"reason":…,"at":…}`, an id and
 * never personal data) in `DATA_DIR/erasures/<DB_NAME>.jsonl`, outside the database, so that restoring an
 * archive older than an erasure can erase that person again. Backups and restores add the
 * `person.erased` events of the database they read; a restore re-applies every line.
 */
export interface ErasureEntry {
  userId: string;
  reason: ErasureReason;
  at: string;
}

/**
 * One ledger per database (`DATA_DIR/erasures/<DB_NAME>.jsonl`): a restore reads the ledger of the
 * database it replaces, and databases sharing a DATA_DIR (tests, staging) never erase each other's people.
 */
export function ledgerFile(dataDir: string, dbName: string): string {
  return path.resolve(dataDir, 'erasures', `${dbName.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`);
}

/** Every erasure the database's audit log records (a few per month: read whole). */
export async function erasuresInDatabase(ctx: ServiceContext): Promise<ErasureEntry[]> {
  const events = await ctx.models.AuditEvent.find({ action: 'person.erased' })
    .select({ targetId: 1, at: 1, details: 1 })
    .lean<Array<{ targetId: string; at: Date; details?: { reason?: ErasureReason } }>>();
  return events.map((e) => ({
    userId: e.targetId,
    reason: e.details?.reason === 'retention' ? 'retention' : 'request',
    at: e.at.toISOString(),
  }));
}

/** The ledger's entries; none when the file does not exist. A damaged line stops the restore. */
export async function readLedger(file: string): Promise<ErasureEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const entry = JSON.parse(line) as Partial<ErasureEntry>;
      if (typeof entry.userId !== 'string') throw new Error(`${file} line ${i + 1} names no userId`);
      return {
        userId: entry.userId,
        reason: entry.reason === 'retention' ? 'retention' : 'request',
        at: String(entry.at),
      };
    });
}

/** Appends the entries the ledger does not hold yet (by user id); the file is the owner's alone. */
export async function addToLedger(file: string, entries: ErasureEntry[]): Promise<void> {
  const known = new Set((await readLedger(file)).map((e) => e.userId));
  const lines: string[] = [];
  for (const e of entries) {
    if (known.has(e.userId)) continue;
    known.add(e.userId);
    lines.push(`${JSON.stringify(e)}\n`);
  }
  if (lines.length === 0) return;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, lines.join(''), { mode: 0o600 });
}

/**
 * Erases again everyone in `entries` the restored database holds un-erased: the erasure was decided
 * (and its retention duty checked) when it first ran, so it is applied as it was, without a new
 * check. Returns the ids erased again.
 */
export async function reapplyErasures(
  ctx: ServiceContext,
  entries: ErasureEntry[],
  now: Date,
): Promise<string[]> {
  const byUser = new Map(entries.map((e) => [e.userId, e]));
  const users = await ctx.models.User.find({ _id: { $in: [...byUser.keys()] } })
    .select({ _id: 1, erasedAt: 1 })
    .lean<Array<Pick<UserDoc, '_id' | 'erasedAt'>>>();
  const erased: string[] = [];
  for (const user of users) {
    if (user.erasedAt) continue;
    const entry = byUser.get(user._id)!;
    await erasePersonNow(ctx, { userId: user._id, actorId: null, reason: entry.reason, now });
    erased.push(user._id);
  }
  return erased;
}
