import { z } from 'zod';
import { MAX_DISPLAY_NAME_INPUT_LENGTH, MAX_DISPLAY_NAME_LENGTH } from './limits.ts';

/**
 * Display names: what a page calls itself, shown to other people beside what it shares. A name is chosen by the
 * person (or made up at random), so it is neither unique nor proof of anything: peers are told apart by peer id only.
 * Every name is normalised the same way by the page and by the tracker, so what one shows is what all show.
 */

/** Zero-width joiner: invisible, but it glues emoji into one (👩‍💻), so it is kept between two pictographs. */
const ZWJ = '\u200d';
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** What may end the emoji before a joiner: the pictograph itself, a skin tone, or the emoji presentation selector. */
const EMOJI_END = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]/u;
/**
 * Control, format (bidi overrides, zero-width characters, soft hyphens…), surrogate and private-use characters: they
 * hide, reorder or garble what is shown.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u;
/** More than this many combining marks on one letter stack into unreadable towers ("Zalgo" text). */
const MAX_MARKS_IN_A_ROW = 4;

/** Keeps a zero-width joiner only between two pictographs; drops every other hidden character. */
function dropHidden(chars: string[]): string[] {
  const kept: string[] = [];
  for (const [i, char] of chars.entries()) {
    if (!HIDDEN.test(char)) {
      kept.push(char);
    } else if (char === ZWJ && EMOJI_END.test(kept.at(-1) ?? '') && PICTOGRAPH.test(chars[i + 1] ?? '')) {
      kept.push(char);
    } else if (/\p{Cc}/u.test(char)) {
      kept.push(' '); // a tab or a line break separates words like a space
    }
  }
  return kept;
}

/** Drops combining marks past {@link MAX_MARKS_IN_A_ROW} on one letter. */
function limitMarks(chars: string[]): string[] {
  const kept: string[] = [];
  let run = 0;
  for (const char of chars) {
    run = /\p{M}/u.test(char) ? run + 1 : 0;
    if (run <= MAX_MARKS_IN_A_ROW) kept.push(char);
  }
  return kept;
}

/**
 * A display name in its one normal form: Unicode NFC, hidden characters removed (see {@link HIDDEN}; a zero-width
 * joiner stays only inside an emoji), runs of white space (any kind) made one space, trimmed, at most four combining
 * marks in a row, cut to {@link MAX_DISPLAY_NAME_LENGTH} code points. The empty string when nothing is left.
 * Idempotent: a normal name normalises to itself.
 */
export function normalizeDisplayName(raw: string): string {
  // Bounded work whatever arrives: no name needs more than a few times its length in raw input.
  const bounded = Array.from(raw.slice(0, MAX_DISPLAY_NAME_INPUT_LENGTH));
  // Composed after hidden characters go (removing one can bring a letter and its accent together), marks limited
  // after composing (which folds some into letters): each step leaves the earlier ones' work intact.
  const composed = Array.from(dropHidden(bounded).join('').normalize('NFC'));
  const visible = limitMarks(composed).join('');
  const spaced = visible.replace(/\s+/gu, ' ').trim();
  const cut = Array.from(spaced).slice(0, MAX_DISPLAY_NAME_LENGTH);
  // A cut may leave a joiner with nothing to join, or a trailing space.
  while (cut.at(-1) === ZWJ) cut.pop();
  return cut.join('').trim();
}

/**
 * A display name as a page sends it: any string of up to {@link MAX_DISPLAY_NAME_INPUT_LENGTH} UTF-16 units, taken
 * in its normal form ({@link normalizeDisplayName}), which must not be empty. Normalising here rather than refusing
 * what is not normal keeps a page and a tracker whose Unicode tables differ (another browser or Node version) in
 * agreement: the tracker's normal form is the one everyone sees.
 */
export const displayNameSchema = z
  .string()
  .max(MAX_DISPLAY_NAME_INPUT_LENGTH)
  .transform(normalizeDisplayName)
  .refine((name) => name.length > 0, 'must have something visible in it');
export type DisplayName = z.output<typeof displayNameSchema>;

/** Payload of `peer:name`: the display name this page goes by from now on (until it changes or disconnects). */
export const setDisplayNameSchema = z.strictObject({ name: displayNameSchema });
export type SetDisplayNameRequest = z.input<typeof setDisplayNameSchema>;
/** Acknowledgement data of `peer:name`: the name as the tracker keeps and shows it (normalised). */
export interface SetDisplayNameResponse {
  name: DisplayName;
}
