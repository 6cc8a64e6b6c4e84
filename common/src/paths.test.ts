import { describe, expect, it } from 'vitest';
import { MAX_PATH_DEPTH } from './limits.ts';
import { sanitizePath, sanitizePathSegment } from './paths.ts';

describe('sanitizePath', () => {
  it.each([
    ['photos/2024/beach.jpg', 'photos/2024/beach.jpg'],
    ['Ünïcødé ファイル/🎵 song.mp3', 'Ünïcødé ファイル/🎵 song.mp3'],
    ['windows\\style\\path.txt', 'windows/style/path.txt'],
    ['a/con.txt', 'a/_con.txt'],
    ['NUL', '_NUL'],
    ['lpt1/x', '_lpt1/x'],
    ['trailing dots.../file. ', 'trailing dots/file'],
    ['what?/is<this>|*', 'what_/is_this___'],
    ['bidi\u202egnp.exe', 'bidignp.exe'],
    ['tab\there', 'tab_here'],
  ])('makes %j safe as %j', (path, safe) => {
    expect(sanitizePath(path)).toBe(safe);
  });

  it.each([
    ['/etc/passwd'],
    ['\\\\server\\share'],
    ['C:\\Windows'],
    ['c:relative'],
    ['../outside'],
    ['a/../../outside'],
    ['a/./b'],
    ['a//b'],
    ['a/'],
    [''],
    ['...'],
    ['a/ . /b'],
  ])('refuses %j', (path) => {
    expect(sanitizePath(path)).toBeNull();
  });

  it('refuses paths too deep or too long', () => {
    expect(sanitizePath(Array(MAX_PATH_DEPTH).fill('d').join('/'))).not.toBeNull();
    expect(
      sanitizePath(
        Array(MAX_PATH_DEPTH + 1)
          .fill('d')
          .join('/'),
      ),
    ).toBeNull();
    expect(sanitizePath(`${'x'.repeat(200)}/`.repeat(5) + 'file')).not.toBeNull();
    expect(sanitizePath(`${'x'.repeat(250)}/`.repeat(5) + 'file')).toBeNull();
  });

  it('gives the canonical form back unchanged', () => {
    for (const path of ['a/b/c.txt', 'x/_con', 'Ünïcødé/🎵'])
      expect(sanitizePath(sanitizePath(path)!)).toBe(sanitizePath(path));
  });
});

describe('sanitizePathSegment', () => {
  it('cuts long names to 255 code points', () => {
    expect(Array.from(sanitizePathSegment('🎵'.repeat(300))!)).toHaveLength(255);
  });
});
