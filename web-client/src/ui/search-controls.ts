import type { FileKind, SearchSort } from '@shoal/common';

/** Units the size controls offer; the query syntax reads them as binary (1 KB = 1,024 bytes), as the page shows sizes. */
export const SIZE_UNITS = ['KB', 'MB', 'GB'] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number];

/** What the controls beside the search box hold. Sizes stay as typed: the query parser judges them. */
export interface SearchControls {
  kind: FileKind | '';
  minSize: string;
  minUnit: SizeUnit;
  maxSize: string;
  maxUnit: SizeUnit;
  sort: SearchSort;
}

export const NO_CONTROLS: SearchControls = {
  kind: '',
  minSize: '',
  minUnit: 'MB',
  maxSize: '',
  maxUnit: 'MB',
  sort: 'relevance',
};

/** The `size:` term of a size range ("size:10MB..2GB", "size:>=10MB", "size:<=2GB"), or '' for none. */
function sizeTerm({ minSize, minUnit, maxSize, maxUnit }: SearchControls): string {
  const min = minSize.trim();
  const max = maxSize.trim();
  if (min && max) return `size:${min}${minUnit}..${max}${maxUnit}`;
  if (min) return `size:>=${min}${minUnit}`;
  if (max) return `size:<=${max}${maxUnit}`;
  return '';
}

/**
 * The query the page sends: the controls' filters as terms, then what was typed (the parser keeps the last typed
 * word a prefix either way); typed filters combine with them (several `type:` mean any of them, sizes narrow each
 * other).
 */
export function composeQuery(typed: string, controls: SearchControls): string {
  const terms = [controls.kind ? `type:${controls.kind}` : '', sizeTerm(controls), typed.trim()];
  return terms.filter((term) => term !== '').join(' ');
}
