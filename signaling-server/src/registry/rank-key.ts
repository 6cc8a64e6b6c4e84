/**
 * A file's rank among equal matches (more complete holders, then more partial holders, then name) packed into one
 * number, so ranking a large match set reads one array per file instead of three. The key is coarse but never wrong:
 * a smaller key ranks first; equal keys say nothing (the full comparison decides).
 */

/** Complete holder counts from this on pack alike (12 bits). */
const HOLDERS_CAP = 4095;
/** Partial holder counts from this on pack alike (7 bits). */
const PARTIAL_CAP = 127;
/** The leading bits of a name key (`nameKey`, 49 bits) that fit below the holder counts. */
const NAME_BITS = 33;
const NAME_SHIFT = 2 ** (49 - NAME_BITS);

/** Added to the key of a match that lacks the whole-word bonus: bonus matches rank first, whatever their holders. */
export const NO_BONUS = 2 ** 52;

/**
 * The packed rank of a file: holder counts in the high bits (more ranks first), then the start of its name key.
 * Past a cap, the lower fields are left at zero so that files above it tie and get compared in full.
 */
export function rankKey(holders: number, partialHolders: number, nameKey: number): number {
  if (holders >= HOLDERS_CAP) return 0;
  const holderBits = (HOLDERS_CAP - holders) * 2 ** 40;
  if (partialHolders >= PARTIAL_CAP) return holderBits;
  return holderBits + (PARTIAL_CAP - partialHolders) * 2 ** NAME_BITS + Math.floor(nameKey / NAME_SHIFT);
}
