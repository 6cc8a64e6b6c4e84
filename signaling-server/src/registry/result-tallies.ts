/**
 * The counting behind each search result (its listed names, its media type), done without allocating per result
 * beyond the names array it returns: a search builds up to 50 results per query, and at a million files the
 * short-lived objects this used to make (entry arrays, sorted copies, a `Map` and a closure per result) were most of
 * the tracker's allocation per search, and so of how often a young-generation GC paused it (see
 * `docs/operations.md`, "Memory and GC").
 */

/**
 * The `k` names with the highest counts, highest first, ties by name (code-unit order): the same list as sorting
 * every `[name, count]` entry that way and keeping the first `k`, made in one pass with a list of at most `k`.
 */
export function mostCommonNames(counts: ReadonlyMap<string, number>, k: number): string[] {
  if (k <= 0 || counts.size === 0) return [];
  if (counts.size === 1) return [counts.keys().next().value as string];
  // Kept in scratch lists, then copied out at their final length (growing a fresh array by pushes allocates more).
  const names = scratchNames;
  const kept = scratchCounts;
  let length = 0;
  // Keys and a lookup each: iterating the entries makes a [name, count] array per name.
  for (const name of counts.keys()) {
    const count = counts.get(name) as number;
    // Where it goes among those kept: after every one with a higher count, or the same count and a smaller name.
    let at = length;
    while (at > 0) {
      const before = kept[at - 1] as number;
      if (count < before || (count === before && name > (names[at - 1] as string))) break;
      at--;
    }
    if (at >= k) continue;
    if (length < k) length++;
    for (let i = length - 1; i > at; i--) {
      names[i] = names[i - 1] as string;
      kept[i] = kept[i - 1] as number;
    }
    names[at] = name;
    kept[at] = count;
  }
  const top = names.slice(0, length);
  names.fill('', 0, length);
  return top;
}

const scratchNames: string[] = [];
const scratchCounts: number[] = [];

/**
 * The value with the highest count; ties go to the smallest value, so the answer is stable. `best` and `bestCount`
 * are a value counted apart from `counts`, if any.
 */
export function mostCommon<T extends string | number>(
  counts: ReadonlyMap<T, number>,
  best?: T,
  bestCount = 0,
): T | undefined {
  for (const value of counts.keys()) {
    const count = counts.get(value) as number;
    if (count > bestCount || (count === bestCount && best !== undefined && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Counts values (media types) and answers the most common, ties to the smallest value, like a `Map` of counts would;
 * but the usual case, every value the same, takes no `Map`. Reused: {@link reset} before each count.
 */
export class ValueTally {
  private first = '';
  private firstCount = 0;
  /** Counts of the values other than {@link first}; cleared, not dropped, between uses. */
  private readonly others = new Map<string, number>();

  reset(): void {
    this.firstCount = 0;
    if (this.others.size > 0) this.others.clear();
  }

  add(value: string): void {
    if (this.firstCount === 0) {
      this.first = value;
      this.firstCount = 1;
    } else if (value === this.first) {
      this.firstCount++;
    } else {
      this.others.set(value, (this.others.get(value) ?? 0) + 1);
    }
  }

  /** The value counted most often, ties to the smallest; undefined when nothing was counted. */
  mostCommon(): string | undefined {
    return this.firstCount === 0 ? undefined : mostCommon(this.others, this.first, this.firstCount);
  }
}
