import type { mongo } from 'mongoose';

/**
 * The batches of a cursor, asking the server for the next batch before handing out the current
 * one: the database works on batch n+1 while the caller processes batch n (left to itself, the
 * driver asks only once its buffer is empty). For long passes over big collections on FerretDB,
 * where the server decoding every document is most of the time. Closes the cursor at the end, or
 * when the caller stops early.
 */
export async function* readAhead<T>(cursor: mongo.FindCursor<T>): AsyncGenerator<T[]> {
  try {
    let more = await cursor.hasNext();
    while (more) {
      const batch = cursor.readBufferedDocuments();
      const next = cursor.hasNext();
      // Awaited below; this only keeps a failure from being unhandled if the caller stops early.
      next.catch(() => {});
      yield batch;
      more = await next;
    }
  } finally {
    await cursor.close();
  }
}
