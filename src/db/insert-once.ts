import { isDuplicateKey } from './connection.js';

// biome-ignore lint/suspicious/noExplicitAny: any mongoose model keyed by a string _id
type KeyedModel = { create(doc: any): Promise<unknown>; findById(id: string): any };

/**
 * Inserts `doc` and says whether this call created it: false means a document with its `_id`
 * exists already (a double submit, a racing request, another process), which is "already done".
 * The insert is the guard for every exactly-once effect; no read comes first.
 */
export async function insertIfNew<T extends { _id: string }>(model: KeyedModel, doc: T): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Inserts `doc` unless a document with its `_id` exists, and returns the stored one.
 * The insert is the guard: concurrent callers (even in two processes) end up with the same document.
 */
export async function insertOnce<T extends { _id: string }>(model: KeyedModel, doc: T): Promise<T> {
  if (await insertIfNew(model, doc)) return doc;
  const existing = (await model.findById(doc._id).lean()) as T | null;
  if (!existing) throw new Error(`insertOnce: ${doc._id} was a duplicate but cannot be read back`);
  return existing;
}

/**
 * Inserts many documents keyed by `_id` in one unordered write; existing ones are left alone.
 * Returns the indexes of `docs` this call created (a duplicate key means "already done").
 */
export async function insertManyOnce(
  // biome-ignore lint/suspicious/noExplicitAny: any mongoose model or driver collection keyed by a string _id
  model: { insertMany(docs: any[], opts: any): Promise<unknown> },
  docs: unknown[],
): Promise<Set<number>> {
  if (docs.length === 0) return new Set<number>();
  const inserted = new Set(docs.map((_, i) => i));
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (err) {
    const writeErrors = (
      err as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> }
    ).writeErrors;
    if (!writeErrors) throw err;
    for (const e of writeErrors) {
      if ((e.code ?? e.err?.code) !== 11000) throw err;
      inserted.delete(e.index);
    }
  }
  return inserted;
}
