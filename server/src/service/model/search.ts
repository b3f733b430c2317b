// Binary search over items in text order (sections, chunks): the last one starting at or before an offset.

/** Index of the last item whose start is <= `offset`; 0 when none is (the first item covers the text's start). */
export function lastStartingAtOrBefore<T>(items: readonly T[], startOf: (item: T) => number, offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (startOf(items[mid]!) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
