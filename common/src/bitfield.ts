/**
 * Bitfields of pieces: bit i is the most significant bit of byte i >> 3 shifted by i & 7, as in BitTorrent. Used on
 * the peer wire (handshake) and in `files:announce`.
 */

/** Bytes of a bitfield for `pieceCount` pieces. */
export function bitfieldLength(pieceCount: number): number {
  return Math.ceil(pieceCount / 8);
}

/** Whether bit `index` is set. */
export function hasBit(bitfield: Uint8Array, index: number): boolean {
  const byte = bitfield[index >> 3];
  return byte !== undefined && (byte & (0x80 >> (index & 7))) !== 0;
}

/** Sets bit `index` (which must be within the bitfield). */
export function setBit(bitfield: Uint8Array, index: number): void {
  bitfield[index >> 3]! |= 0x80 >> (index & 7);
}

/** Clears bit `index`. */
export function clearBit(bitfield: Uint8Array, index: number): void {
  if (index >> 3 < bitfield.length) bitfield[index >> 3]! &= ~(0x80 >> (index & 7));
}

/** Number of set bits. */
export function countBits(bitfield: Uint8Array): number {
  let count = 0;
  for (let byte of bitfield) {
    for (; byte !== 0; byte &= byte - 1) count++;
  }
  return count;
}

/** Whether `bitfield` fits `pieceCount` pieces exactly: the right length and no bit set past the last piece. */
export function fitsPieceCount(bitfield: Uint8Array, pieceCount: number): boolean {
  if (bitfield.length !== bitfieldLength(pieceCount)) return false;
  const spare = bitfield.length * 8 - pieceCount;
  if (spare === 0) return true;
  const last = bitfield[bitfield.length - 1]!;
  return (last & ((1 << spare) - 1)) === 0;
}
