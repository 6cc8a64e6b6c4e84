import { holdsSequence, tokenize } from '@shoal/common';

/**
 * The ASCII characters `tokenize` splits words on (`common/src/text.ts`: white space, punctuation and
 * ``<>=|~^` ``), by code: 1 for a separator.
 */
const SEPARATORS = (() => {
  const table = new Uint8Array(128);
  for (const char of '\t\n\v\f\r !"#%&\'()*,-./:;?@[\\]_{}<>=|~^`') table[char.charCodeAt(0)] = 1;
  return table;
})();

/** Whether a text is plain ASCII. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Whether the code unit at `at` of an ASCII text separates words (the text's ends count as separators). */
export function separatesAt(text: string, at: number): boolean {
  return at < 0 || at >= text.length || SEPARATORS[text.charCodeAt(at)] === 1;
}

/**
 * Tells whether a name holds a phrase (its folded words, in order, next to each other), as `tokenize` and
 * `holdsSequence` would, but without splitting the name when it is plain ASCII: folding ASCII text only lowers its
 * case, so the phrase is looked for in the lower-cased name, word after word with separators between (a phrase of
 * common words can have tens of thousands of candidate files, and most names are ASCII).
 */
export class PhraseMatcher {
  private readonly ascii: boolean;

  constructor(readonly words: readonly string[]) {
    this.ascii = words.every(isAscii);
  }

  /**
   * Whether `name` holds the phrase; `ascii` says the name is plain ASCII, when the caller knows, and `lowered` that
   * it is lower-cased already.
   */
  heldBy(name: string, ascii = isAscii(name), lowered = false): boolean {
    if (!ascii) return holdsSequence(tokenize(name), this.words);
    // An ASCII name's words are ASCII: it cannot hold a word that is not.
    if (!this.ascii) return false;
    const text = lowered ? name : name.toLowerCase();
    const first = this.words[0] as string;
    for (let at = text.indexOf(first); at !== -1; at = text.indexOf(first, at + 1)) {
      if (separatesAt(text, at - 1) && this.restFrom(text, at + first.length)) return true;
    }
    return false;
  }

  /** Whether the words after the first follow from `end` (where the first word ends), and a word ends there. */
  private restFrom(text: string, end: number): boolean {
    let at = end;
    for (let i = 1; i < this.words.length; i++) {
      if (!separatesAt(text, at) || at >= text.length) return false;
      while (at < text.length && SEPARATORS[text.charCodeAt(at)] === 1) at++;
      const word = this.words[i] as string;
      if (!text.startsWith(word, at)) return false;
      at += word.length;
    }
    return separatesAt(text, at);
  }
}
