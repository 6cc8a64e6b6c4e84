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

/** Code units of a name that {@link nameKey} packs, 7 bits each (49 bits: exact in a double). */
const KEY_UNITS = 7;

/**
 * A number that orders names the way their code units do wherever it differs: if `nameKey(a) < nameKey(b)` then
 * `a < b`. Equal keys tell nothing (the names are then compared in full). Each of the first {@link KEY_UNITS} code
 * units becomes 1-126 (a missing one 0); a code unit of 126 or more becomes 127 and ends the key, since units
 * after it could no longer be compared in order.
 */
export function nameKey(name: string): number {
  let key = 0;
  let ended = false;
  for (let i = 0; i < KEY_UNITS; i++) {
    let digit = 0;
    if (!ended && i < name.length) {
      const unit = name.charCodeAt(i);
      digit = unit < 126 ? unit + 1 : 127;
      ended = digit === 127;
    } else {
      ended = true;
    }
    key = key * 128 + digit;
  }
  return key;
}

/** Code units of a name the rank key orders by in full (the leading {@link NAME_BITS} bits of its name key). */
const RANK_NAME_UNITS = Math.floor(NAME_BITS / 7);

/**
 * What orders files whose rank keys are equal, before their names are compared in full: the name key of the name
 * after the units the rank key holds whole, when the rank key holds them (holder counts under their caps, and no
 * code unit there too high for a name key); 0 otherwise, which leaves the order to the full comparison. Files with
 * equal rank keys and tails of their own are thereby ordered as their names are.
 */
export function rankTail(holders: number, partialHolders: number, sortName: string): number {
  if (holders >= HOLDERS_CAP || partialHolders >= PARTIAL_CAP) return 0;
  for (let i = 0; i < RANK_NAME_UNITS && i < sortName.length; i++) if (sortName.charCodeAt(i) >= 126) return 0;
  return nameKey(sortName.slice(RANK_NAME_UNITS));
}
