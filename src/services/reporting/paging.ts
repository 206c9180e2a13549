/** How the HR lists are paged. */

export const PAGE_SIZE = 25;
export const MAX_PAGE = 400;

/** Fetch one more than a page to know whether a next page exists without counting. */
export function pageOf<T>(
  fetched: readonly T[],
  page: number,
  size: number,
): { items: T[]; page: number; hasNext: boolean } {
  return { items: fetched.slice(0, size), page, hasNext: fetched.length > size };
}
