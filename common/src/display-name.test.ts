import { describe, expect, it } from 'vitest';
import { displayNameSchema, normalizeDisplayName, setDisplayNameSchema } from './display-name.ts';
import { MAX_DISPLAY_NAME_INPUT_LENGTH, MAX_DISPLAY_NAME_LENGTH } from './limits.ts';

describe('normalizeDisplayName', () => {
  it('keeps ordinary names in any script as they are', () => {
    for (const name of ['Quiet Otter 42', 'Zoë', '東京の猫', 'Привет', 'مرحبا', '👩‍💻 coder', 'O’Brien-Smith']) {
      expect(normalizeDisplayName(name), name).toBe(name);
    }
  });

  it('composes to NFC, so both spellings of an accent are one name', () => {
    expect(normalizeDisplayName('Zoe\u0308')).toBe('Zo\u00eb');
  });

  it('trims and collapses white space of every kind into one space', () => {
    expect(normalizeDisplayName('  Quiet \t\n Otter\u00a0\u3000 42  ')).toBe('Quiet Otter 42');
    expect(normalizeDisplayName('a\u2028b\u2029c')).toBe('a b c');
  });

  it('removes control, format, bidi, zero-width, surrogate and private-use characters', () => {
    expect(normalizeDisplayName('ad\u0000m\u001bin')).toBe('ad m in');
    expect(normalizeDisplayName('evil\u202egnp.exe')).toBe('evilgnp.exe');
    expect(normalizeDisplayName('a\u200bb\u200cc\u2066d\u00ade\ufeff')).toBe('abcde');
    expect(normalizeDisplayName('x\ud800y\udc00z')).toBe('xyz');
    expect(normalizeDisplayName('\ue000secret')).toBe('secret');
  });

  it('keeps a zero-width joiner only inside an emoji', () => {
    expect(normalizeDisplayName('👩\u200d💻')).toBe('👩\u200d💻');
    expect(normalizeDisplayName('❤\ufe0f\u200d🔥')).toBe('❤\ufe0f\u200d🔥');
    expect(normalizeDisplayName('a\u200db')).toBe('ab');
    expect(normalizeDisplayName('👩\u200d\u200d💻')).toBe('👩\u200d💻');
  });

  it('limits stacked combining marks', () => {
    expect(normalizeDisplayName(`q${'\u0301\u0302\u0303'.repeat(10)}algo`)).toBe('q\u0301\u0302\u0303\u0301algo');
  });

  it(`cuts to ${MAX_DISPLAY_NAME_LENGTH} code points, never leaving a dangling joiner or space`, () => {
    expect(normalizeDisplayName('x'.repeat(100))).toBe('x'.repeat(MAX_DISPLAY_NAME_LENGTH));
    expect(Array.from(normalizeDisplayName('🎉'.repeat(100)))).toHaveLength(MAX_DISPLAY_NAME_LENGTH);
    expect(normalizeDisplayName(`${'x'.repeat(MAX_DISPLAY_NAME_LENGTH - 1)}👩\u200d💻`)).toBe(
      `${'x'.repeat(MAX_DISPLAY_NAME_LENGTH - 1)}👩`,
    );
    expect(normalizeDisplayName(`${'x'.repeat(MAX_DISPLAY_NAME_LENGTH - 1)} y`)).toBe(
      'x'.repeat(MAX_DISPLAY_NAME_LENGTH - 1),
    );
  });

  it('leaves nothing of a name with nothing visible', () => {
    for (const name of ['', '   ', '\u200b\u200b', '\u0000\t\n', '\u202e']) expect(normalizeDisplayName(name)).toBe('');
  });

  it('is idempotent on random strings', () => {
    const pool = [
      'a',
      'Z',
      ' ',
      '\t',
      '\u00a0',
      '\u0301',
      '\u0308',
      'e',
      '👩',
      '💻',
      '\u200d',
      '\ufe0f',
      '\u202e',
      '\u200b',
      '\ud800',
      '東',
      '\u0000',
      'ß',
      '\u1100',
      '\u1161',
      '\u11a8',
      '🏽',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) % pool.length;
    for (let round = 0; round < 5000; round++) {
      const raw = Array.from({ length: 1 + (round % 60) }, () => pool[next()]).join('');
      const once = normalizeDisplayName(raw);
      expect(normalizeDisplayName(once), JSON.stringify(raw)).toBe(once);
      expect(Array.from(once).length).toBeLessThanOrEqual(MAX_DISPLAY_NAME_LENGTH);
    }
  });
});

describe('displayNameSchema', () => {
  it('gives the normal form of what it accepts', () => {
    expect(displayNameSchema.parse('  Quiet   Otter ')).toBe('Quiet Otter');
    expect(setDisplayNameSchema.parse({ name: 'Zoe\u0308' })).toEqual({ name: 'Zo\u00eb' });
  });

  it('refuses names with nothing visible, oversized input, other types and extra keys', () => {
    for (const name of ['', ' ', '\u200b', 'x'.repeat(MAX_DISPLAY_NAME_INPUT_LENGTH + 1), 42, null, ['a']]) {
      expect(setDisplayNameSchema.safeParse({ name }).success, JSON.stringify(name)).toBe(false);
    }
    expect(setDisplayNameSchema.safeParse({ name: 'ok', peerId: 'someone' }).success).toBe(false);
  });
});
