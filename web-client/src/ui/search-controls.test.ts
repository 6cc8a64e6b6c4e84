import { parseSearchQuery } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { composeQuery, NO_CONTROLS } from './search-controls.ts';

describe('composeQuery', () => {
  it.each([
    ['holi', {}, 'holi'],
    ['  holi  ', {}, 'holi'],
    ['holi', { kind: 'video' }, 'type:video holi'],
    ['', { kind: 'audio' }, 'type:audio'],
    ['holi', { minSize: '10', minUnit: 'MB' }, 'size:>=10MB holi'],
    ['holi', { maxSize: '1.5', maxUnit: 'GB' }, 'size:<=1.5GB holi'],
    ['', { kind: 'document', minSize: '1', minUnit: 'KB', maxSize: '2', maxUnit: 'MB' }, 'type:document size:1KB..2MB'],
    ['cats ext:pdf', { kind: 'document' }, 'type:document cats ext:pdf'],
  ] as const)('%j with %j is %j', (typed, controls, expected) => {
    expect(composeQuery(typed, { ...NO_CONTROLS, ...controls })).toBe(expected);
  });

  it('keeps the typed last word a prefix', () => {
    const parsed = parseSearchQuery(composeQuery('holiday vid', { ...NO_CONTROLS, kind: 'video', maxSize: '1' }));
    expect(parsed.ok && parsed.query).toMatchObject({ words: ['holiday'], prefix: 'vid', kinds: ['video'] });
  });

  it('leaves wrong sizes for the parser to explain', () => {
    for (const size of ['-5', '1e5', 'abc']) {
      const parsed = parseSearchQuery(composeQuery('x', { ...NO_CONTROLS, minSize: size }));
      expect(parsed.ok, size).toBe(false);
    }
    const empty = parseSearchQuery(composeQuery('x', { ...NO_CONTROLS, minSize: '5', maxSize: '1' }));
    expect(empty.ok || empty.hint).toMatch(/range is empty/);
  });
});
