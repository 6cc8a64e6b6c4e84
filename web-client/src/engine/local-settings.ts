/** The parts of `localStorage` the engine uses: small settings kept between visits. */
export type LocalSettings = Pick<Storage, 'getItem' | 'setItem'>;

/** The browser's localStorage, or null where there is none or touching it throws (some privacy settings). */
export function browserLocalSettings(): LocalSettings | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
