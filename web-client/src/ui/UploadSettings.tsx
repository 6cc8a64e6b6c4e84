import { useState, type FormEvent } from 'react';
import type { UploadsView } from '../engine/share/upload-limits.ts';
import { uploadSettingsProblem, type UploadSettings as Settings } from '../engine/share/upload-settings.ts';
import { MAX_UPLOAD_SLOTS, MIN_UPLOAD_SLOTS } from '../engine/share/upload-slots.ts';
import { formatSpeed } from '../format.ts';

const MiB = 1024 * 1024;

interface UploadSettingsProps {
  uploads: UploadsView;
  /** Applies new settings; throws (RangeError) on settings out of bounds. */
  onApply: (settings: Settings) => void;
}

/** "1 of 2 upload slots in use · 3 peers waiting · speed cap 4.0 MiB/s". */
function describeUploads(uploads: UploadsView): string {
  const waiting =
    uploads.queued === 0 ? 'nobody waiting' : `${uploads.queued} ${uploads.queued === 1 ? 'peer' : 'peers'} waiting`;
  const cap = uploads.bytesPerSecond === null ? 'no speed cap' : `speed cap ${formatSpeed(uploads.bytesPerSecond)}`;
  return `${uploads.served} of ${uploads.slots} upload ${uploads.slots === 1 ? 'slot' : 'slots'} in use · ${waiting} · ${cap}`;
}

/** The settings in the form, or why they cannot be used. */
function readForm(slots: string, capMiB: string): Settings | string {
  const slotCount = Number(slots);
  const cap = capMiB.trim() === '' ? null : Number(capMiB);
  if (slots.trim() === '' || (cap !== null && Number.isNaN(cap)))
    return 'Enter a number of slots and a speed cap (or leave the cap empty for none).';
  const settings = { slots: slotCount, bytesPerSecond: cap === null ? null : Math.round(cap * MiB) };
  return uploadSettingsProblem(settings) ?? settings;
}

/**
 * How many peers this page uploads to at once and how fast at most: applied at once (peers waiting are served or
 * queued accordingly) and kept for the next visit. Shows the peers served and waiting now.
 */
export function UploadSettings({ uploads, onApply }: UploadSettingsProps) {
  const [slots, setSlots] = useState(String(uploads.slots));
  const [capMiB, setCapMiB] = useState(uploads.bytesPerSecond === null ? '' : String(uploads.bytesPerSecond / MiB));
  const [problem, setProblem] = useState<string | null>(null);
  const [applied, setApplied] = useState(false);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const settings = readForm(slots, capMiB);
    if (typeof settings === 'string') {
      setProblem(settings);
      setApplied(false);
      return;
    }
    onApply(settings);
    setProblem(null);
    setApplied(true);
  };

  return (
    <section className="panel" aria-labelledby="upload-settings-heading">
      <h2 id="upload-settings-heading">Upload settings</h2>
      <form className="upload-settings" onSubmit={apply} noValidate>
        <label>
          Upload slots{' '}
          <input
            type="number"
            min={MIN_UPLOAD_SLOTS}
            max={MAX_UPLOAD_SLOTS}
            step={1}
            value={slots}
            onChange={(event) => {
              setSlots(event.currentTarget.value);
              setApplied(false);
            }}
          />
        </label>
        <label>
          Speed cap (MiB/s){' '}
          <input
            type="number"
            min={0.1}
            step="any"
            placeholder="none"
            value={capMiB}
            onChange={(event) => {
              setCapMiB(event.currentTarget.value);
              setApplied(false);
            }}
          />
        </label>
        <button type="submit">Apply</button>
        {applied ? <span className="hint">Applied</span> : null}
      </form>
      {problem ? (
        <p className="message" role="alert">
          {problem}
        </p>
      ) : null}
      <p className="hint" role="status" aria-label="Uploads">
        {describeUploads(uploads)}
      </p>
    </section>
  );
}
