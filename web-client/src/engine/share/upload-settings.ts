import type { LocalSettings } from '../local-settings.ts';
import { MAX_UPLOAD_SLOTS, MIN_UPLOAD_SLOTS, DEFAULT_UPLOAD_SLOTS } from './upload-slots.ts';

/** What the user sets of this page's uploads. */
export interface UploadSettings {
  /** Peers uploaded to at once (see {@link UploadSlots}). */
  slots: number;
  /** Upload speed cap in bytes per second for the whole page, or null for none. */
  bytesPerSecond: number | null;
}

export const DEFAULT_UPLOAD_SETTINGS: UploadSettings = { slots: DEFAULT_UPLOAD_SLOTS, bytesPerSecond: null };

/** Bounds of the upload speed cap the user can set, in bytes per second (0.1 MiB/s to 10,000 MiB/s). */
export const MIN_UPLOAD_CAP = 100 * 1024;
export const MAX_UPLOAD_CAP = 10_000 * 1024 * 1024;

const STORAGE_KEY = 'shoal.uploadSettings';

/** Why `settings` cannot be used, or null when they can. */
export function uploadSettingsProblem(settings: UploadSettings): string | null {
  const { slots, bytesPerSecond } = settings;
  if (!Number.isInteger(slots) || slots < MIN_UPLOAD_SLOTS || slots > MAX_UPLOAD_SLOTS)
    return `Upload slots must be a whole number from ${MIN_UPLOAD_SLOTS} to ${MAX_UPLOAD_SLOTS}.`;
  if (
    bytesPerSecond !== null &&
    !(Number.isFinite(bytesPerSecond) && bytesPerSecond >= MIN_UPLOAD_CAP && bytesPerSecond <= MAX_UPLOAD_CAP)
  )
    return 'The upload speed cap must be from 0.1 to 10000 MiB/s, or none.';
  return null;
}

/** Settings read back from storage: exactly the two fields, within bounds; anything else is null. */
export function parseUploadSettings(value: unknown): UploadSettings | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { slots, bytesPerSecond, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof slots !== 'number') return null;
  if (bytesPerSecond !== null && typeof bytesPerSecond !== 'number') return null;
  const settings = { slots, bytesPerSecond };
  return uploadSettingsProblem(settings) === null ? settings : null;
}

/** The settings kept in `storage`, or the defaults when there are none or they are unusable. */
export function loadUploadSettings(storage: LocalSettings | null): UploadSettings {
  try {
    const stored = storage?.getItem(STORAGE_KEY);
    return (stored ? parseUploadSettings(JSON.parse(stored)) : null) ?? DEFAULT_UPLOAD_SETTINGS;
  } catch {
    return DEFAULT_UPLOAD_SETTINGS; // not JSON, or storage refused: the defaults
  }
}

/** Keeps `settings` for the next visit; a storage that refuses (full, disabled) only loses them for later. */
export function saveUploadSettings(storage: LocalSettings | null, settings: UploadSettings): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // They still apply to this page.
  }
}
