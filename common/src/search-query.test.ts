import { describe, expect, it } from 'vitest';
import { FOLDER_MIME_TYPE } from './folder.ts';
import {
  extensionOf,
  fileKindOf,
  fileMatches,
  hasNameTerms,
  isEmptyQuery,
  parseSearchQuery,
  type SearchQuery,
} from './search-query.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function parse(text: string): SearchQuery {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(`expected "${text}" to parse, got hint: ${parsed.hint}`);
  return parsed.query;
}

describe('parseSearchQuery', () => {
  const ANY = { phrases: [], excluded: [], kinds: [], extensions: [], minSize: 0, maxSize: Infinity };
  it.each<[string, Partial<SearchQuery>]>([
    ['', { words: [], prefix: null }],
    ['   ', { words: [], prefix: null }],
    ['holiday', { words: [], prefix: 'holiday' }],
    ['Holiday Vidéo', { words: ['holiday'], prefix: 'video' }],
    ['holiday holiday', { words: ['holiday'], prefix: 'holiday' }],
    ['report.final', { words: ['report'], prefix: 'final' }],
    ['"sea view"', { words: ['sea', 'view'], prefix: null, phrases: [['sea', 'view']] }],
    ['"sea view" beach', { words: ['sea', 'view'], prefix: 'beach', phrases: [['sea', 'view']] }],
    ['"sea', { words: ['sea'], prefix: null }],
    ['"sea vi', { words: ['sea', 'vi'], prefix: null, phrases: [['sea', 'vi']] }],
    ['beach -draft', { words: ['beach'], prefix: null, excluded: [['draft']] }],
    ['beach -"old copy"', { words: ['beach'], prefix: null, excluded: [['old', 'copy']] }],
    ['beach -draft sunset', { words: ['beach'], prefix: 'sunset', excluded: [['draft']] }],
    ['beach -', { words: ['beach'], prefix: null }],
    ['type:video cat', { words: [], prefix: 'cat', kinds: ['video'] }],
    ['cat type:video', { words: [], prefix: 'cat', kinds: ['video'] }],
    ['big cat size:>1KB ext:mp4', { words: ['big'], prefix: 'cat', extensions: ['mp4'], minSize: 1025 }],
    ['cat -dog type:video', { words: ['cat'], prefix: null, excluded: [['dog']], kinds: ['video'] }],
    ['TYPE:Audio type:video', { words: [], prefix: null, kinds: ['audio', 'video'] }],
    ['type:audio,image', { words: [], prefix: null, kinds: ['audio', 'image'] }],
    ['ext:pdf ext:.EPUB', { words: [], prefix: null, extensions: ['pdf', 'epub'] }],
    ['size:>100MB', { words: [], prefix: null, minSize: 100 * MiB + 1 }],
    ['size:>=100mib', { words: [], prefix: null, minSize: 100 * MiB }],
    ['size:<1.5G', { words: [], prefix: null, maxSize: 1.5 * GiB - 1 }],
    ['size:<=2048', { words: [], prefix: null, maxSize: 2048 }],
    ['size:=1KB', { words: [], prefix: null, minSize: 1024, maxSize: 1024 }],
    ['size:1GB..4GB', { words: [], prefix: null, minSize: GiB, maxSize: 4 * GiB }],
    ['size:1GB..', { words: [], prefix: null, minSize: GiB }],
    ['size:..10k', { words: [], prefix: null, maxSize: 10 * 1024 }],
    ['size:>1MB size:<2MB', { words: [], prefix: null, minSize: MiB + 1, maxSize: 2 * MiB - 1 }],
    ['other:thing', { words: ['other'], prefix: 'thing' }],
    ['"type:video"', { words: ['type', 'video'], prefix: null, phrases: [['type', 'video']] }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual({ ...ANY, ...expected });
  });

  it.each([
    ['type:movie', /Unknown type "movie"/],
    ['type:', /Unknown type ""/],
    ['ext:', /not a file extension/],
    ['ext:a/b', /not a file extension/],
    ['size:big', /size:>100MB/],
    ['size:100MB', /size:>100MB/],
    ['size:>', /size:>100MB/],
    ['size:1GB..x', /size:1GB\.\.4GB/],
    ['size:>2GB size:<1GB', /range is empty/],
    ['-type:video', /cannot be negated/],
  ])('hints at %j', (text, hint) => {
    const parsed = parseSearchQuery(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.hint).toMatch(hint);
  });

  it('never throws on arbitrary text', () => {
    const alphabet = ['"', '-', ':', '.', '..', ' ', 'a', 'size', 'type', 'ext', '>', '<', '=', '1', 'MB', ',', 'é'];
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let i = 0; i < 12; i++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
      expect(() => parseSearchQuery(text)).not.toThrow();
    }
  });
});

describe('fileKindOf and extensionOf', () => {
  it.each<[string, string, string | null]>([
    ['Trip.MP4', '', 'video'],
    ['song.flac', 'application/octet-stream', 'audio'],
    ['scan', 'image/png', 'image'],
    ['paper.pdf', '', 'document'],
    ['notes', 'text/plain', 'document'],
    ['backup.tar.gz', '', 'archive'],
    ['bundle', 'application/zip', 'archive'],
    ['Photos', FOLDER_MIME_TYPE, 'folder'],
    ['program.exe', '', null],
    ['README', '', null],
  ])('%s (%s) is %s', (name, mimeType, kind) => {
    expect(fileKindOf(name, mimeType)).toBe(kind);
  });

  it.each([
    ['a.PDF', 'pdf'],
    ['archive.tar.gz', 'gz'],
    ['.bashrc', ''],
    ['name.', ''],
    ['noext', ''],
    ['weird.ext with space', ''],
  ])('extension of %j is %j', (name, extension) => {
    expect(extensionOf(name)).toBe(extension);
  });
});

describe('fileMatches', () => {
  const file = (name: string, size = 10 * MiB, mimeType = '') => ({ name, size, mimeType });
  it.each<[string, ReturnType<typeof file>, boolean]>([
    ['holiday', file('Holiday 2024.mp4'), true],
    ['holi', file('Holiday 2024.mp4'), true],
    ['holiday 20', file('Holiday 2024.mp4'), true],
    ['holi 2024', file('Holiday 2024.mp4'), false],
    ['holi 20', file('Holiday 2024.mp4'), false],
    ['"holiday 2024"', file('Holiday 2024.mp4'), true],
    ['"2024 holiday"', file('Holiday 2024.mp4'), false],
    ['"holiday 2024"', file('Holiday in 2024.mp4'), false],
    ['holiday -2024', file('Holiday 2024.mp4'), false],
    ['holiday -"in 2024"', file('Holiday 2024.mp4'), true],
    ['holiday type:video', file('Holiday 2024.mp4'), true],
    ['holi type:video', file('Holiday 2024.mp4'), true],
    ['holiday type:audio', file('Holiday 2024.mp4'), false],
    ['holiday ext:mp4', file('Holiday 2024.mp4'), true],
    ['holiday ext:mkv,mp4', file('Holiday 2024.mp4'), true],
    ['holiday size:>5MB', file('Holiday 2024.mp4'), true],
    ['holiday size:>10MB', file('Holiday 2024.mp4'), false],
    ['holiday size:5MB..10MB', file('Holiday 2024.mp4'), true],
    ['type:video', file('Holiday 2024.mp4'), true],
    ['', file('Holiday 2024.mp4'), false],
    ['photos type:folder', file('Photos', 0, FOLDER_MIME_TYPE), true],
  ])('%j against %j: %s', (text, candidate, expected) => {
    expect(fileMatches(parse(text), candidate)).toBe(expected);
  });

  it('tells name terms and empty queries apart', () => {
    expect(hasNameTerms(parse('type:video'))).toBe(false);
    expect(isEmptyQuery(parse('type:video'))).toBe(false);
    expect(isEmptyQuery(parse(' " " '))).toBe(true);
    expect(hasNameTerms(parse('a'))).toBe(true);
  });
});
