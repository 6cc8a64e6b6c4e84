import { nameWordsMatch, tokenize, type SearchQuery } from '@shoal/common';
import { isAscii, PhraseMatcher, separatesAt } from './phrase-matcher.ts';

/**
 * Tells whether one name, on its own, holds a query's words, its prefix and its phrases and none of its exclusions:
 * what `nameWordsMatch(query, tokenize(name))` tells, but without splitting a plain ASCII name into new strings. A
 * search shows up to 50 results, mostly popular files with several names each, and checking every name that way
 * was a large share of a search's garbage (a words array and a string per word, per name). An ASCII name is
 * lower-cased once (no copy when it is lower-case already) and each term looked for in it as {@link PhraseMatcher}
 * does; other names are split as before.
 */
export class NameTermsMatcher {
  private readonly words: PhraseMatcher[];
  private readonly phrases: PhraseMatcher[];
  private readonly excluded: PhraseMatcher[];
  private readonly prefix: string | null;
  /** Whether the prefix can be in an ASCII name at all (an ASCII name's words are ASCII). */
  private readonly asciiPrefix: boolean;

  constructor(readonly query: SearchQuery) {
    this.words = query.words.map((word) => new PhraseMatcher([word]));
    this.phrases = query.phrases.map((phrase) => new PhraseMatcher(phrase));
    this.excluded = query.excluded.map((sequence) => new PhraseMatcher(sequence));
    this.prefix = query.prefix;
    this.asciiPrefix = query.prefix !== null && isAscii(query.prefix);
  }

  /** Whether `name` holds the query's terms (its words, prefix and phrases, and none of its exclusions). */
  matches(name: string): boolean {
    if (!isAscii(name)) return nameWordsMatch(this.query, tokenize(name));
    const text = name.toLowerCase();
    for (const word of this.words) if (!word.heldBy(text, true, true)) return false;
    if (this.prefix !== null && !(this.asciiPrefix && holdsWordStart(text, this.prefix))) return false;
    for (const phrase of this.phrases) if (!phrase.heldBy(text, true, true)) return false;
    for (const sequence of this.excluded) if (sequence.heldBy(text, true, true)) return false;
    return true;
  }
}

/** Whether a word of the lower-cased ASCII `text` starts with `prefix` (itself ASCII, without separators). */
function holdsWordStart(text: string, prefix: string): boolean {
  for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) {
    if (separatesAt(text, at - 1)) return true;
  }
  return false;
}
