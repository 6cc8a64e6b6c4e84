import { tokenize } from '@shoal/common';

/**
 * A search query split into folded words: every word but the last must match a word of the name exactly; the last
 * one matches as a prefix, so results appear while the user is still typing it.
 */
export interface ParsedQuery {
  /** Distinct words that must appear exactly. */
  readonly exact: readonly string[];
  /** The last word, matched as a prefix. */
  readonly prefix: string;
}

/** Parses a query; `undefined` when it has no words (blank or punctuation only), which matches nothing. */
export function parseQuery(text: string): ParsedQuery | undefined {
  const words = tokenize(text);
  const prefix = words.pop();
  if (prefix === undefined) return undefined;
  return { exact: [...new Set(words)], prefix };
}

/** Whether a name, given as its folded words, matches the query. */
export function wordsMatch(query: ParsedQuery, words: readonly string[]): boolean {
  return query.exact.every((word) => words.includes(word)) && words.some((word) => word.startsWith(query.prefix));
}

/** How many query words a matching name holds exactly (the prefix word counts when it is a whole word). */
export function exactMatchCount(query: ParsedQuery, words: readonly string[]): number {
  return query.exact.length + (words.includes(query.prefix) ? 1 : 0);
}

/** Whether a name matches the query. */
export function nameMatches(query: ParsedQuery, name: string): boolean {
  return wordsMatch(query, tokenize(name));
}
