/**
 * Text folding for search: names and queries are compared case- and accent-insensitively, split into words on white
 * space, punctuation and markup-like symbols (`< > = | ~ ^ \``). Other symbols (emoji, `+`, `$`) stay part of words.
 */

/** Latin letters that Unicode does not decompose into a base letter and an accent, spelled as people type them. */
const LATIN_LETTERS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

/** Folds case and strips accents: "Ångström" -> "angstrom", "Øresund" -> "oresund". */
export function foldText(text: string): string {
  // Most names are plain ASCII, which has nothing to decompose or strip: only its case is folded (several times
  // faster than normalising, and every registration and watch match folds a name).
  if (isPlainAscii(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßđðłþıħ]/g, (letter) => LATIN_LETTERS[letter] ?? letter);
}

function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** What separates words: white space, punctuation and markup-like symbols. */
const SEPARATOR = /[\s\p{P}<>=|~^`]/u;
const SEPARATORS = new RegExp(`${SEPARATOR.source}+`, 'u');
/** The ASCII characters {@link SEPARATOR} matches, by code (1 for a separator): read from it, so they cannot differ. */
const ASCII_SEPARATORS = Uint8Array.from({ length: 128 }, (_, code) =>
  SEPARATOR.test(String.fromCharCode(code)) ? 1 : 0,
);

/** The folded words of a text, in order, duplicates kept. */
export function tokenize(text: string): string[] {
  if (isPlainAscii(text)) return asciiWords(text.toLowerCase());
  return foldText(text)
    .split(SEPARATORS)
    .filter((word) => word.length > 0);
}

/** The words of a lower-cased ASCII text, in one pass (the split and filter above, without a regular expression). */
function asciiWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (ASCII_SEPARATORS[text.charCodeAt(i)] === 1) {
      if (start >= 0) words.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) words.push(text.slice(start));
  return words;
}

/** Characters that reorder displayed text (bidi overrides and isolates): they can disguise a file's extension. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name fit to announce: control and bidi-control characters removed, white space trimmed, cut to
 * `maxLength` code points, and "unnamed" if nothing is left. The tracker still validates what it receives.
 */
export function sanitizeFileName(name: string, maxLength = 255): string {
  const cleaned = name
    .replace(/\p{Cc}/gu, '')
    .replace(BIDI_CONTROLS, '')
    .trim();
  const cut = Array.from(cleaned).slice(0, maxLength).join('').trim();
  return cut.length > 0 ? cut : 'unnamed';
}
