import { describe, expect, it } from 'vitest';
import type { LocalSettings } from '../local-settings.ts';
import { FolderDownloadsMemory } from './folder-downloads-memory.ts';

const id = (n: number) => n.toString(16).padStart(64, '0');

function settings(initial: Record<string, string> = {}): LocalSettings & { items: Record<string, string> } {
  const items = { ...initial };
  return { items, getItem: (key) => items[key] ?? null, setItem: (key, value) => void (items[key] = value) };
}

describe('FolderDownloadsMemory', () => {
  it('remembers parts of folders across instances (reloads) until forgotten', () => {
    const kept = settings();
    const memory = new FolderDownloadsMemory(kept);
    memory.remember(id(1), 'photos');
    memory.remember(id(1), '');
    memory.remember(id(1), 'photos');
    memory.remember(id(2), 'a/b');
    const after = new FolderDownloadsMemory(kept);
    expect(after.pathsOf(id(1)).sort()).toEqual(['', 'photos']);
    after.forget(id(1), 'photos');
    expect(new FolderDownloadsMemory(kept).pathsOf(id(1))).toEqual(['']);
    expect(after.pathsOf(id(3))).toEqual([]);
  });

  it('takes nothing from storage it does not recognise, and works without storage', () => {
    for (const junk of [
      'not json',
      '{}',
      '[{"listingId":"x","path":""}]',
      '[{"listingId":"' + id(1) + '","path":"../x"}]',
    ]) {
      expect(new FolderDownloadsMemory(settings({ 'shoal-folder-downloads': junk })).pathsOf(id(1))).toEqual([]);
    }
    const none = new FolderDownloadsMemory(null);
    none.remember(id(1), 'x');
    expect(none.pathsOf(id(1))).toEqual([]);
  });

  it('keeps the latest 200', () => {
    const memory = new FolderDownloadsMemory(settings());
    for (let n = 0; n < 250; n++) memory.remember(id(n), '');
    expect(memory.pathsOf(id(0))).toEqual([]);
    expect(memory.pathsOf(id(249))).toEqual(['']);
  });
});
