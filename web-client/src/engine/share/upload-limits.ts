import type { LocalSettings } from '../local-settings.ts';
import {
  loadUploadSettings,
  saveUploadSettings,
  uploadSettingsProblem,
  type UploadSettings,
} from './upload-settings.ts';
import { UploadSlots, type SlotTiming } from './upload-slots.ts';
import { UploadThrottle } from './upload-throttle.ts';

/** What the page shows of its uploads. */
export interface UploadsView extends UploadSettings {
  /** Peers being uploaded to now. */
  served: number;
  /** Peers waiting for a slot. */
  queued: number;
}

export interface UploadLimitsDeps {
  /** Where the settings are kept for the next visit (null: they last as long as the page). */
  storage: LocalSettings | null;
  /** A cap set for this page load only (the `uploadKiBps` page option), over the stored one; not saved. */
  capOverride?: number;
  /** What the page shows changed. */
  onChange(view: UploadsView): void;
  timing?: Partial<SlotTiming>;
}

/**
 * The page's upload slots and speed cap, shared by every upload session: from the user's settings (kept in storage
 * for the next visit) and changed live, without touching the sessions.
 */
export class UploadLimits {
  readonly slots: UploadSlots;
  readonly throttle: UploadThrottle;

  constructor(private readonly deps: UploadLimitsDeps) {
    const stored = loadUploadSettings(deps.storage);
    this.throttle = new UploadThrottle(deps.capOverride ?? stored.bytesPerSecond);
    this.slots = new UploadSlots(stored.slots, { timing: deps.timing, onChange: () => this.publish() });
  }

  settings(): UploadSettings {
    return { slots: this.slots.slots, bytesPerSecond: this.throttle.bytesPerSecond };
  }

  view(): UploadsView {
    const { served, queued } = this.slots.snapshot();
    return { ...this.settings(), served, queued };
  }

  /** Applies and keeps new settings; refuses (RangeError, nothing changed) settings out of bounds. */
  set(settings: UploadSettings): void {
    const problem = uploadSettingsProblem(settings);
    if (problem) throw new RangeError(problem);
    this.throttle.setRate(settings.bytesPerSecond);
    this.slots.setSlots(settings.slots);
    saveUploadSettings(this.deps.storage, settings);
    this.publish();
  }

  publish(): void {
    this.deps.onChange(this.view());
  }

  close(): void {
    this.slots.close();
  }
}
