/**
 * Node (V8) flags the tracker runs with: in `npm start` (this package's `start` script, kept equal by a test), and in
 * the benchmarks and tests that start the tracker as a process, so they measure what operators run.
 *
 * `--max-semi-space-size=64` (MiB; Node 20's default is 16 on 64-bit): a bigger young generation, so the
 * short-lived garbage of requests (a search answer is a few tens of KB of result objects and JSON) is collected
 * four times less often. Each young-generation collection ("scavenge") stops the tracker for a few milliseconds at a
 * million registered files, about the same whatever the young generation's size (little of it survives); with the
 * default, one search in fifty waited for one, which set the search p99 (see docs/operations.md, "Memory and GC").
 * Costs up to 2 × 48 MiB more of address space for the semi-spaces, committed only as they fill.
 */
export const TRACKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * The {@link TRACKER_NODE_FLAGS} this process was started without: neither among its own flags (`execArgv`) nor in
 * `NODE_OPTIONS`, by name (another value chosen on purpose counts as given).
 */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map(flagName);
  return TRACKER_NODE_FLAGS.filter((flag) => !given.includes(flagName(flag)));
}

/** `--max-semi-space-size` of `--max-semi-space-size=64`; V8 reads `_` and `-` alike. */
function flagName(flag: string): string {
  return (flag.split('=')[0] ?? '').replaceAll('_', '-');
}
