/**
 * Text folding for search: names and queries are compared case- and accent-insensitively, split into words on white
 * space and punctuation. Symbols (emoji included) stay part of words.
 */

/** Folds case and strips accents: "Ångström" -> "angstrom". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The folded words of a text, in order, duplicates kept. */
export function tokenize(text: string): string[] {
  return foldText(text)
    .split(/[\s\p{P}]+/u)
    .filter((word) => word.length > 0);
}
