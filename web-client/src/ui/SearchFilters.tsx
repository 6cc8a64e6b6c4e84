import { FILE_KINDS, SEARCH_SORTS, type FileKind, type SearchSort } from '@shoal/common';
import { SIZE_UNITS, type SearchControls, type SizeUnit } from './search-controls.ts';

const KIND_LABELS: Record<FileKind, string> = {
  video: 'Video',
  audio: 'Audio',
  image: 'Image',
  document: 'Document',
  archive: 'Archive',
  folder: 'Folder',
};

const SORT_LABELS: Record<SearchSort, string> = {
  relevance: 'Relevance',
  size: 'Size',
  sources: 'Sources',
  newest: 'Newest',
};

interface SearchFiltersProps {
  controls: SearchControls;
  onChange: (controls: SearchControls) => void;
}

/** One bound of the size range: a number and its unit. */
function SizeBound({
  label,
  value,
  unit,
  onChange,
}: {
  label: string;
  value: string;
  unit: SizeUnit;
  onChange: (value: string, unit: SizeUnit) => void;
}) {
  return (
    <span className="size-bound">
      <input
        type="text"
        inputMode="decimal"
        size={7}
        aria-label={label}
        placeholder={label}
        value={value}
        onChange={(event) => onChange(event.target.value, unit)}
      />
      <select
        aria-label={`${label} unit`}
        value={unit}
        onChange={(event) => onChange(value, event.target.value as SizeUnit)}
      >
        {SIZE_UNITS.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </span>
  );
}

/** The filters beside the search box: kind, size range and order. They add terms to what is typed. */
export function SearchFilters({ controls, onChange }: SearchFiltersProps) {
  const set = (change: Partial<SearchControls>) => onChange({ ...controls, ...change });
  return (
    <div className="search-filters" role="group" aria-label="Search filters">
      <label>
        <span>Type</span>
        <select value={controls.kind} onChange={(event) => set({ kind: event.target.value as FileKind | '' })}>
          <option value="">Any type</option>
          {FILE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>
      <span className="size-range">
        <span>Size</span>
        <SizeBound
          label="Min size"
          value={controls.minSize}
          unit={controls.minUnit}
          onChange={(minSize, minUnit) => set({ minSize, minUnit })}
        />
        <span aria-hidden="true">to</span>
        <SizeBound
          label="Max size"
          value={controls.maxSize}
          unit={controls.maxUnit}
          onChange={(maxSize, maxUnit) => set({ maxSize, maxUnit })}
        />
      </span>
      <label>
        <span>Sort by</span>
        <select value={controls.sort} onChange={(event) => set({ sort: event.target.value as SearchSort })}>
          {SEARCH_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
