import { describe, expect, it } from 'vitest';
import {
  DEFAULT_UPLOAD_SETTINGS,
  MAX_UPLOAD_CAP,
  MIN_UPLOAD_CAP,
  loadUploadSettings,
  parseUploadSettings,
  saveUploadSettings,
} from './upload-settings.ts';
import type { LocalSettings } from '../local-settings.ts';
import { UploadLimits, type UploadsView } from './upload-limits.ts';

/** A Storage in memory; `refuse` makes writes throw like a full or disabled one. */
function memoryStorage(refuse = false): LocalSettings & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (refuse) throw new DOMException('quota exceeded', 'QuotaExceededError');
      items.set(key, value);
    },
  };
}

describe('upload settings', () => {
  it('round-trips through storage', () => {
    const storage = memoryStorage();
    saveUploadSettings(storage, { slots: 7, bytesPerSecond: 2 * 1024 * 1024 });
    expect(loadUploadSettings(storage)).toEqual({ slots: 7, bytesPerSecond: 2 * 1024 * 1024 });
  });

  it('falls back to the defaults for nothing stored, no storage, or anything unusable', () => {
    expect(loadUploadSettings(null)).toEqual(DEFAULT_UPLOAD_SETTINGS);
    expect(loadUploadSettings(memoryStorage())).toEqual(DEFAULT_UPLOAD_SETTINGS);
    for (const stored of [
      'not json',
      '[]',
      'null',
      '{"slots":0,"bytesPerSecond":null}',
      '{"slots":21,"bytesPerSecond":null}',
      '{"slots":2.5,"bytesPerSecond":null}',
      '{"slots":"4","bytesPerSecond":null}',
      `{"slots":4,"bytesPerSecond":${MIN_UPLOAD_CAP - 1}}`,
      `{"slots":4,"bytesPerSecond":${MAX_UPLOAD_CAP + 1}}`,
      '{"slots":4,"bytesPerSecond":"fast"}',
      '{"slots":4}',
      '{"slots":4,"bytesPerSecond":null,"extra":1}',
    ]) {
      const storage = memoryStorage();
      storage.items.set('shoal.uploadSettings', stored);
      expect(loadUploadSettings(storage), stored).toEqual(DEFAULT_UPLOAD_SETTINGS);
    }
  });

  it('parses exactly the two fields within bounds', () => {
    expect(parseUploadSettings({ slots: 1, bytesPerSecond: MIN_UPLOAD_CAP })).toEqual({
      slots: 1,
      bytesPerSecond: MIN_UPLOAD_CAP,
    });
    expect(parseUploadSettings({ slots: 20, bytesPerSecond: null })).toEqual({ slots: 20, bytesPerSecond: null });
  });
});

describe('UploadLimits', () => {
  it('starts from the stored settings, a page option overriding the cap without saving it', () => {
    const storage = memoryStorage();
    saveUploadSettings(storage, { slots: 2, bytesPerSecond: 1024 * 1024 });
    const views: UploadsView[] = [];
    const limits = new UploadLimits({ storage, capOverride: 4 * 1024 * 1024, onChange: (view) => views.push(view) });
    expect(limits.view()).toEqual({ slots: 2, bytesPerSecond: 4 * 1024 * 1024, served: 0, queued: 0 });
    expect(loadUploadSettings(storage).bytesPerSecond).toBe(1024 * 1024);
    limits.close();
  });

  it('applies new settings live to the shared slots and throttle, keeps them, and shows them', () => {
    const storage = memoryStorage();
    const views: UploadsView[] = [];
    const limits = new UploadLimits({ storage, onChange: (view) => views.push(view) });
    limits.set({ slots: 1, bytesPerSecond: 3 * 1024 * 1024 });
    expect(limits.slots.slots).toBe(1);
    expect(limits.throttle.bytesPerSecond).toBe(3 * 1024 * 1024);
    expect(views.at(-1)).toEqual({ slots: 1, bytesPerSecond: 3 * 1024 * 1024, served: 0, queued: 0 });
    expect(loadUploadSettings(storage)).toEqual({ slots: 1, bytesPerSecond: 3 * 1024 * 1024 });
    // Peers taking and waiting for slots show too.
    limits.slots.attach('a', () => {}).want();
    limits.slots.attach('b', () => {}).want();
    expect(views.at(-1)).toMatchObject({ served: 1, queued: 1 });
    limits.set({ slots: 1, bytesPerSecond: null });
    expect(limits.throttle.limited).toBe(false);
    limits.close();
  });

  it('refuses settings out of bounds and changes nothing', () => {
    const storage = memoryStorage();
    const limits = new UploadLimits({ storage, onChange: () => {} });
    expect(() => limits.set({ slots: 0, bytesPerSecond: null })).toThrow(/whole number from 1 to 20/);
    expect(() => limits.set({ slots: 3, bytesPerSecond: 10 })).toThrow(/0.1 to 10000 MiB\/s/);
    expect(limits.settings()).toEqual(DEFAULT_UPLOAD_SETTINGS);
    expect(storage.items.size).toBe(0);
    limits.close();
  });

  it('still applies settings a storage refuses to keep', () => {
    const limits = new UploadLimits({ storage: memoryStorage(true), onChange: () => {} });
    limits.set({ slots: 9, bytesPerSecond: null });
    expect(limits.settings()).toEqual({ slots: 9, bytesPerSecond: null });
    limits.close();
  });
});
