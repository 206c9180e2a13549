/**
 * Runs `work` over `items` with at most `size` calls in flight, in order of start. Used for
 * lookups by `_id`: indexed one by one, while a long `$in` makes FerretDB v1 scan the collection.
 */
export async function inPool<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
