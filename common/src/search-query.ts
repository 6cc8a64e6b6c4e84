import { FOLDER_MIME_TYPE } from './folder.ts';
import { tokenize } from './text.ts';

/**
 * The search box's query syntax, parsed the same way by the tracker (to search) and the page (to hint at mistakes
 * before asking, and to match watched searches):
 *
 * - `word`: the name holds the word (case and accents do not matter); the query's last word may be unfinished and
 *   matches as a prefix, so results appear while typing (filters typed after it leave it unfinished);
 * - `"exact phrase"`: the name holds these words in this order, next to each other;
 * - `-word`, `-"a phrase"`: the name does not hold it;
 * - `type:video` (audio, image, video, document, archive, folder), `ext:pdf` (also `ext:pdf,epub`): what kind of
 *   file; several of the same key mean any of them;
 * - `size:>100MB`, `size:<=2GB`, `size:1GB..4GB`: the size, in binary units as the page shows them (1 KB = 1 KiB =
 *   1,024 bytes).
 */

/** The kinds `type:` knows. */
export const FILE_KINDS = ['audio', 'image', 'video', 'document', 'archive', 'folder'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A parsed query. Words are folded (see `tokenize`). */
export interface SearchQuery {
  /** Distinct words every match holds exactly: the bare words but the unfinished last one, and every phrase's words. */
  readonly words: readonly string[];
  /** The query's last word when it ends with a bare word, matched as a prefix; otherwise `null`. */
  readonly prefix: string | null;
  /** Phrases of two words or more, each held in order, word after word. */
  readonly phrases: readonly (readonly string[])[];
  /** Words or phrases a match must not hold. */
  readonly excluded: readonly (readonly string[])[];
  /** Kinds a match is one of; empty for any. */
  readonly kinds: readonly FileKind[];
  /** Extensions (folded, without the dot) a match's name ends in; empty for any. */
  readonly extensions: readonly string[];
  /** Inclusive size bounds in bytes. */
  readonly minSize: number;
  readonly maxSize: number;
}

/** What {@link parseSearchQuery} answers: a query, or a hint for the person who typed it. */
export type ParsedSearchQuery = { ok: true; query: SearchQuery } | { ok: false; hint: string };

/** The file facts a query is matched against. */
export interface SearchableFile {
  name: string;
  size: number;
  mimeType: string;
}

const EXTENSIONS_BY_KIND: Record<Exclude<FileKind, 'folder'>, readonly string[]> = {
  video: ['mp4', 'm4v', 'mkv', 'webm', 'avi', 'mov', 'wmv', 'flv', 'mpg', 'mpeg', 'm2ts', 'mts', '3gp', 'ogv', 'vob'],
  audio: ['mp3', 'flac', 'wav', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'wma', 'aif', 'aiff', 'alac', 'mid', 'midi', 'ape'],
  image: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'svg', 'heic', 'heif', 'avif', 'ico', 'psd'],
  document: [
    'pdf',
    'doc',
    'docx',
    'odt',
    'rtf',
    'txt',
    'md',
    'epub',
    'mobi',
    'azw3',
    'djvu',
    'xls',
    'xlsx',
    'ods',
    'csv',
    'ppt',
    'pptx',
    'odp',
    'tex',
  ],
  archive: ['zip', 'rar', '7z', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'iso', 'dmg', 'cab', 'lz', 'lzma'],
};

const KIND_BY_EXTENSION = new Map<string, FileKind>(
  Object.entries(EXTENSIONS_BY_KIND).flatMap(([kind, extensions]) =>
    extensions.map((extension) => [extension, kind as FileKind] as const),
  ),
);

/** Media types that say the kind when the extension does not. */
const DOCUMENT_TYPES = /^(text\/|application\/(pdf|msword|rtf|epub|vnd\.(openxmlformats|oasis|ms-)))/;
const ARCHIVE_TYPES = /^application\/(zip|gzip|x-(7z|rar|tar|bzip2|xz|gtar|iso9660)|zstd|vnd\.rar)/;

/** The extension of a file name, folded and without the dot; `''` when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  const extension = name.slice(dot + 1).toLowerCase();
  return /^[\p{L}\p{N}]{1,10}$/u.test(extension) ? extension : '';
}

/** What kind of file this is, by its extension first (browsers often leave the type empty), then its media type. */
export function fileKindOf(name: string, mimeType: string): FileKind | null {
  if (mimeType === FOLDER_MIME_TYPE) return 'folder';
  const byExtension = KIND_BY_EXTENSION.get(extensionOf(name));
  if (byExtension) return byExtension;
  const type = mimeType.toLowerCase();
  for (const kind of ['video', 'audio', 'image'] as const) if (type.startsWith(`${kind}/`)) return kind;
  if (ARCHIVE_TYPES.test(type)) return 'archive';
  if (DOCUMENT_TYPES.test(type)) return 'document';
  return null;
}

const UNIT_BYTES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const SIZE = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|(b))?$/i;
const SIZE_HINT = 'Write sizes like size:>100MB, size:<2GB or size:1GB..4GB.';

/** "100MB" -> bytes; `undefined` when it is not a size. */
function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? match[3] ?? 'b').toLowerCase();
  return Math.round(Number(match[1]) * (UNIT_BYTES[unit] ?? 1));
}

/** Narrows `[min, max]` by one `size:` value; a hint when the value is not one. */
function applySize(value: string, bounds: { min: number; max: number }): string | undefined {
  const range = value.split('..');
  if (range.length === 2) {
    const [low, high] = range.map((part) => (part === '' ? undefined : parseSize(part)));
    if ((range[0] !== '' && low === undefined) || (range[1] !== '' && high === undefined)) return SIZE_HINT;
    bounds.min = Math.max(bounds.min, low ?? 0);
    bounds.max = Math.min(bounds.max, high ?? Infinity);
    return undefined;
  }
  const comparison = /^(>=|<=|>|<|=)?(.*)$/.exec(value);
  const bytes = parseSize(comparison?.[2] ?? '');
  if (bytes === undefined || !comparison?.[1]) return SIZE_HINT;
  const operator = comparison[1];
  if (operator === '>') bounds.min = Math.max(bounds.min, bytes + 1);
  if (operator === '>=' || operator === '=') bounds.min = Math.max(bounds.min, bytes);
  if (operator === '<') bounds.max = Math.min(bounds.max, bytes - 1);
  if (operator === '<=' || operator === '=') bounds.max = Math.min(bounds.max, bytes);
  return undefined;
}

/** One piece of query text: a bare word, a quoted phrase, or `key:value`; possibly negated. */
interface Term {
  negated: boolean;
  quoted: boolean;
  text: string;
}

/** Splits query text into terms: white space separates them, except inside quotes; an unclosed quote runs to the end. */
function splitTerms(text: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    let negated = false;
    if (text[i] === '-' && i + 1 < text.length && !/\s/.test(text[i + 1] as string)) {
      negated = true;
      i++;
    }
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close === -1 ? text.length : close;
      terms.push({ negated, quoted: true, text: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !/\s/.test(text[end] as string)) end++;
      terms.push({ negated, quoted: false, text: text.slice(i, end) });
      i = end;
    }
  }
  return terms;
}

const FILTER = /^(type|ext|size):(.*)$/i;

/** Parses query text (see the module comment). Never throws; a mistake in a filter comes back as a hint. */
export function parseSearchQuery(text: string): ParsedSearchQuery {
  const bareWords: string[] = [];
  const phrases: string[][] = [];
  const phraseWords: string[] = [];
  const excluded: string[][] = [];
  const kinds = new Set<FileKind>();
  const extensions = new Set<string>();
  const size = { min: 0, max: Infinity };
  let endsWithBareWord = false;

  for (const term of splitTerms(text)) {
    const filter = term.quoted ? null : FILTER.exec(term.text);
    // A filter after the last word leaves it unfinished ("holi type:video" still finds "holiday"); words do not.
    if (!filter) endsWithBareWord = false;
    if (filter) {
      const key = (filter[1] as string).toLowerCase();
      const value = filter[2] as string;
      if (term.negated) return { ok: false, hint: `Filters cannot be negated: leave out the "-" before ${key}:.` };
      const hint = key === 'size' ? applySize(value, size) : applyKindOrExtension(key, value, kinds, extensions);
      if (hint) return { ok: false, hint };
      continue;
    }
    const termWords = tokenize(term.text);
    if (termWords.length === 0) continue;
    if (term.negated) excluded.push(termWords);
    else if (term.quoted) {
      phraseWords.push(...termWords);
      if (termWords.length > 1) phrases.push(termWords);
    } else {
      bareWords.push(...termWords);
      endsWithBareWord = true;
    }
  }
  if (size.min > size.max)
    return { ok: false, hint: 'The size range is empty: the lower bound is above the upper one.' };
  // Words typed earlier are finished and must match exactly; the last one may still be typed on: a prefix.
  const prefix = endsWithBareWord ? (bareWords.pop() as string) : null;
  return {
    ok: true,
    query: {
      words: [...new Set([...bareWords, ...phraseWords])],
      prefix,
      phrases,
      excluded,
      kinds: [...kinds],
      extensions: [...extensions],
      minSize: size.min,
      maxSize: size.max,
    },
  };
}

/** Adds the kinds of a `type:` or the extensions of an `ext:` value; a hint when one is not. */
function applyKindOrExtension(
  key: string,
  value: string,
  kinds: Set<FileKind>,
  extensions: Set<string>,
): string | undefined {
  for (const item of value.toLowerCase().split(',')) {
    if (key === 'type') {
      if (!(FILE_KINDS as readonly string[]).includes(item)) {
        return `Unknown type "${item}": use type:${FILE_KINDS.join(', type:')}, or ext: for an extension.`;
      }
      kinds.add(item as FileKind);
    } else {
      const extension = item.replace(/^\./, '');
      if (extension === '' || extensionOf(`x.${extension}`) !== extension) {
        return `"${item}" is not a file extension: write it like ext:pdf.`;
      }
      extensions.add(extension);
    }
  }
  return undefined;
}

/** Whether the query names anything to look for in names (words or a prefix); filters alone do not. */
export function hasNameTerms(query: SearchQuery): boolean {
  return query.words.length > 0 || query.prefix !== null;
}

/** Whether the query asks for nothing at all: no words, no filters (an empty box). */
export function isEmptyQuery(query: SearchQuery): boolean {
  return (
    !hasNameTerms(query) &&
    query.excluded.length === 0 &&
    query.kinds.length === 0 &&
    query.extensions.length === 0 &&
    query.minSize === 0 &&
    query.maxSize === Infinity
  );
}

/** Whether `sequence` occurs in `words` word after word. */
export function holdsSequence(words: readonly string[], sequence: readonly string[]): boolean {
  for (let start = 0; start + sequence.length <= words.length; start++) {
    let i = 0;
    while (i < sequence.length && words[start + i] === sequence[i]) i++;
    if (i === sequence.length) return true;
  }
  return false;
}

/**
 * Whether a name, given as its folded words, satisfies the query's word terms (words, prefix, phrases, exclusions).
 * Plain loops: the tracker runs this for every watched query a new file's words lead to, and a closure per term cost
 * more than the comparisons.
 */
export function nameWordsMatch(query: SearchQuery, nameWords: readonly string[]): boolean {
  for (const word of query.words) if (!nameWords.includes(word)) return false;
  if (query.prefix !== null && !holdsPrefix(nameWords, query.prefix)) return false;
  for (const phrase of query.phrases) if (!holdsSequence(nameWords, phrase)) return false;
  for (const sequence of query.excluded) if (holdsSequence(nameWords, sequence)) return false;
  return true;
}

function holdsPrefix(words: readonly string[], prefix: string): boolean {
  for (const word of words) if (word.startsWith(prefix)) return true;
  return false;
}

/** Whether a file's size, kind and extension pass the query's filters. */
export function fileFiltersMatch(query: SearchQuery, file: SearchableFile): boolean {
  if (file.size < query.minSize || file.size > query.maxSize) return false;
  if (query.extensions.length > 0 && !query.extensions.includes(extensionOf(file.name))) return false;
  if (query.kinds.length > 0) {
    const kind = fileKindOf(file.name, file.mimeType);
    if (kind === null || !query.kinds.includes(kind)) return false;
  }
  return true;
}

/** Whether a file, under this name, matches the query. An empty query matches nothing. */
export function fileMatches(query: SearchQuery, file: SearchableFile): boolean {
  return !isEmptyQuery(query) && fileFiltersMatch(query, file) && nameWordsMatch(query, tokenize(file.name));
}
