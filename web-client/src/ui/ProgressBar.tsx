/** An accessible progress bar: `role="progressbar"` with its value, for people and for tests alike. */
export function ProgressBar({ label, value }: { label: string; value: number }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
