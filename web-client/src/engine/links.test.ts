import { describe, expect, it } from 'vitest';
import { parseShareLink, shareLinkUrl } from './links.ts';

const id = 'ab'.repeat(32);

describe('share links', () => {
  it('round-trip a file and a folder, names with any characters included', () => {
    const name = 'Sunset & beach #1 ? 100% 🎵.jpg';
    const url = shareLinkUrl('http://127.0.0.1:8089/', { id, name, size: 1234, isFolder: false });
    expect(url.startsWith(`http://127.0.0.1:8089/#/file/${id}?`)).toBe(true);
    expect(parseShareLink(new URL(url).hash)).toEqual({ fileId: id, isFolder: false, name, size: 1234 });
    const folder = shareLinkUrl('https://shoal.example/app/', { id, name: 'trip', size: 0, isFolder: true });
    expect(parseShareLink(new URL(folder).hash)).toEqual({ fileId: id, isFolder: true, name: 'trip', size: 0 });
  });

  it('needs a valid content id', () => {
    expect(parseShareLink('')).toBeNull();
    expect(parseShareLink('#/')).toBeNull();
    expect(parseShareLink(`#/file/${id.slice(1)}`)).toBeNull();
    expect(parseShareLink(`#/file/${id.toUpperCase()}`)).toBeNull();
    expect(parseShareLink(`#/other/${id}`)).toBeNull();
    expect(parseShareLink(`#/file/${id}x`)).toBeNull();
  });

  it('drops hints it cannot trust, keeping the id', () => {
    const bad = [
      `#/file/${id}`,
      `#/file/${id}?name=&size=-1`,
      `#/file/${id}?name=${encodeURIComponent('a\u0000b')}&size=1e3`,
      `#/file/${id}?name=${'x'.repeat(300)}&size=${2 ** 60}`,
      `#/file/${id}?size=1.5`,
    ];
    for (const hash of bad)
      expect(parseShareLink(hash)).toEqual({ fileId: id, isFolder: false, name: null, size: null });
  });
});
