/** Small statistics helpers for latency samples. */

/** The `p`-th percentile (0-100) of `values` by nearest rank; NaN for no values. Does not modify `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Rounds to `digits` decimals, for readable JSON. */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** p50, p99 and max of a latency sample in milliseconds, rounded. */
export function latencySummary(values: readonly number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  if (values.length === 0) return { p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN };
  return {
    p50Ms: round(percentile(values, 50), 3),
    p99Ms: round(percentile(values, 99), 3),
    maxMs: round(percentile(values, 100), 3),
  };
}

/** Adds up counts by key (error codes and the like). */
export function mergeCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}
