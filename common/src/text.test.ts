import { describe, expect, it } from 'vitest';
import { foldText, sanitizeFileName, tokenize } from './text.ts';

describe('foldText', () => {
  it('folds plain ASCII (its shortcut) exactly as the full folding would', () => {
    const full = (text: string) =>
      text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase();
    const every = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
    expect(foldText(every)).toBe(full(every));
    for (const name of ['Sunset Beach (2).JPG', 'REPORT_final-v2.PDF', '  Mixed\tCase  ', '']) {
      expect(foldText(name)).toBe(full(name));
    }
  });

  it('folds case', () => {
    expect(foldText('HeLLo World')).toBe('hello world');
    expect(foldText('ПРИВЕТ')).toBe('привет');
    expect(foldText('ΕΛΛΗΝΙΚΆ')).toBe('ελληνικα');
  });

  it('strips accents', () => {
    expect(foldText('Ångström')).toBe('angstrom');
    expect(foldText('Crème Brûlée')).toBe('creme brulee');
    expect(foldText('Dvořák')).toBe('dvorak');
    expect(foldText('naïve café')).toBe('naive cafe');
    expect(foldText('İstanbul')).toBe('istanbul');
  });

  it('folds precomposed and decomposed input alike', () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(foldText(composed)).toBe(foldText(decomposed));
    expect(foldText(decomposed)).toBe('cafe');
  });

  it('folds compatibility forms: ligatures, full-width letters, circled digits', () => {
    expect(foldText('ﬁle')).toBe('file');
    expect(foldText('ＡＢＣ１２３')).toBe('abc123');
    expect(foldText('①②')).toBe('12');
  });

  it('keeps punctuation and spacing (tokenize splits on them)', () => {
    expect(foldText('My File (1).TXT')).toBe('my file (1).txt');
  });

  it('keeps emoji, dropping only the variation selector so both spellings of a heart match', () => {
    expect(foldText('🎉Party')).toBe('🎉party');
    expect(foldText('❤\ufe0f')).toBe(foldText('❤'));
    expect(foldText('👨\u200d👩\u200d👧')).toBe('👨\u200d👩\u200d👧');
    expect(foldText('👍🏽')).toBe('👍🏽');
  });

  it('keeps CJK ideographs and kana', () => {
    expect(foldText('東京タワー')).toBe('東京タワー');
    expect(foldText('中文文件')).toBe('中文文件');
  });

  it('is idempotent', () => {
    for (const text of ['Ångström', 'ＡＢＣ', '한국어 노래', '東京タワー', '❤️ Love', 'हिन्दी', 'ǅ']) {
      expect(foldText(foldText(text)), text).toBe(foldText(text));
    }
  });

  it('folds a Hangul query and name the same way', () => {
    expect(foldText('한국어').normalize('NFC')).toBe('한국어');
    expect(foldText('한국어')).toBe(foldText('한국어'.normalize('NFD')));
  });
});

describe('tokenize', () => {
  it('splits plain ASCII (its shortcut) exactly as the regular expression does', () => {
    const full = (text: string) =>
      text
        .toLowerCase()
        .split(/[\s\p{P}<>=|~^`]+/u)
        .filter((word) => word.length > 0);
    const every = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
    for (const char of every) expect(tokenize(`a${char}b`), JSON.stringify(char)).toEqual(full(`a${char}b`));
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: Math.floor(random() * 24) }, () => every[Math.floor(random() * 128)]).join('');
      expect(tokenize(text), JSON.stringify(text)).toEqual(full(text));
    }
  });

  it('splits on white space and punctuation and folds each word', () => {
    expect(tokenize('Dvořák – Symphony No. 9 (Live).flac')).toEqual(['dvorak', 'symphony', 'no', '9', 'live', 'flac']);
    expect(tokenize('my_file-v2.final')).toEqual(['my', 'file', 'v2', 'final']);
    expect(tokenize("don't\tstop\nbelievin'")).toEqual(['don', 't', 'stop', 'believin']);
    expect(tokenize('«quoted» „text“ a—b')).toEqual(['quoted', 'text', 'a', 'b']);
  });

  it('keeps duplicates and order', () => {
    expect(tokenize('la la LAND la')).toEqual(['la', 'la', 'land', 'la']);
  });

  it('returns no words for blank or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   \t\n')).toEqual([]);
    expect(tokenize('...!?---')).toEqual([]);
  });

  it('spells out Latin letters that carry no separable accent', () => {
    expect(foldText('Øresund Æther Straße Łódź')).toBe('oresund aether strasse lodz');
    expect(tokenize('Ünïcødé')).toEqual(['unicode']);
  });

  it('splits on markup-like symbols, so names with tags are found by their words', () => {
    expect(tokenize('<b>bold</b> a=b|c~d^e`f')).toEqual(['b', 'bold', 'b', 'a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('keeps symbols as parts of words', () => {
    expect(tokenize('C++ $100 + tax')).toEqual(['c++', '$100', '+', 'tax']);
  });

  it('keeps emoji as or within words', () => {
    expect(tokenize('🎉party🎉 time')).toEqual(['🎉party🎉', 'time']);
    expect(tokenize('👨\u200d👩\u200d👧 family')).toEqual(['👨\u200d👩\u200d👧', 'family']);
    expect(tokenize('❤\ufe0f love')).toEqual(tokenize('❤ LOVE'));
  });

  it('splits CJK text on spaces and CJK punctuation, not between characters', () => {
    expect(tokenize('東京タワー.jpg')).toEqual(['東京タワー', 'jpg']);
    expect(tokenize('東京 タワー')).toEqual(['東京', 'タワー']);
    expect(tokenize('東京、大阪。京都')).toEqual(['東京', '大阪', '京都']);
    expect(tokenize('「映画」（2024）')).toEqual(['映画', '2024']);
  });

  it('splits on the ideographic space and folds full-width letters', () => {
    expect(tokenize('ＡＢＣ\u3000ｄｅｆ')).toEqual(['abc', 'def']);
  });

  it('gives a query and a name with different accents and case the same words', () => {
    expect(tokenize('CAFE creme')).toEqual(tokenize('Café Crème'));
  });
});

describe('sanitizeFileName', () => {
  it('removes control and bidi-control characters', () => {
    expect(sanitizeFileName('a\u0000b\u009bc\nd.txt')).toBe('abcd.txt');
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  });

  it('cuts long names to the limit in code points, never splitting an emoji', () => {
    expect(sanitizeFileName('🎵'.repeat(300))).toBe('🎵'.repeat(255));
  });

  it('names a blank name "unnamed"', () => {
    expect(sanitizeFileName('  \u0001 ')).toBe('unnamed');
  });
});
