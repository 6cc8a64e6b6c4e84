/**
 * The sizes the holdings of one file gave, kept as they change so the size a file shows costs nothing to read, even
 * with ten thousand holders (counting them at every registration made a popular file's n-th holder cost n steps).
 * Sizes differ only when a holder lies (the size is in the manifest), so a tally is the first holding's size and,
 * only once some holding disagreed, the counts of the other sizes.
 */
export interface SizeTally {
  /** The size of the holding that made the tally. */
  readonly firstSize: number;
  /** Holdings of every other size, by size; undefined while there are none. */
  otherSizes: Map<number, number> | undefined;
}

/** Counts one more holding of `size`. */
export function addSize(tally: SizeTally, size: number): void {
  if (size === tally.firstSize) return;
  tally.otherSizes ??= new Map();
  tally.otherSizes.set(size, (tally.otherSizes.get(size) ?? 0) + 1);
}

/** Counts one holding of `size` less. */
export function removeSize(tally: SizeTally, size: number): void {
  const others = tally.otherSizes;
  if (size === tally.firstSize || others === undefined) return;
  const count = others.get(size) ?? 0;
  if (count > 1) others.set(size, count - 1);
  else others.delete(size);
  if (others.size === 0) tally.otherSizes = undefined;
}

/**
 * The most common size among the file's `holdings` (how many it has in all); ties go to the smallest size, so the
 * answer is stable.
 */
export function shownSize(tally: SizeTally, holdings: number): number {
  const others = tally.otherSizes;
  if (others === undefined) return tally.firstSize;
  let best = tally.firstSize;
  let bestCount = holdings;
  for (const count of others.values()) bestCount -= count;
  for (const [size, count] of others) {
    if (count > bestCount || (count === bestCount && size < best)) {
      best = size;
      bestCount = count;
    }
  }
  return best;
}
