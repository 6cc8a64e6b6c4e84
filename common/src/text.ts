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
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßđðłþıħ]/g, (letter) => LATIN_LETTERS[letter] ?? letter);
}

/** The folded words of a text, in order, duplicates kept. */
export function tokenize(text: string): string[] {
  return foldText(text)
    .split(/[\s\p{P}<>=|~^`]+/u)
    .filter((word) => word.length > 0);
}
