/**
 * The documents of a BSON entry, one Buffer each, from a stream of arbitrary chunks: every BSON
 * document starts with its total length (int32, little-endian). Holds at most one chunk and one
 * partial document, so memory stays flat however large the collection.
 */
export async function* bsonDocuments(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4) {
      const size = pending.readInt32LE(at);
      if (size < 5) throw new Error('a document length is invalid');
      if (pending.length - at < size) break;
      yield pending.subarray(at, at + size);
      at += size;
    }
    pending = pending.subarray(at);
  }
  if (pending.length > 0) throw new Error('the entry ends inside a document');
}
