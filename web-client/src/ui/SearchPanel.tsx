import { useEffect, useState, type ReactNode } from 'react';
import { FOLDER_MIME_TYPE, MAX_SEARCH_OFFSET, type SearchResult, type SearchSort } from '@shoal/common';
import type { SearchView } from '../engine/engine-state.ts';
import { formatBytes } from '../format.ts';
import { ResultNames } from './ResultNames.tsx';
import { SearchFilters } from './SearchFilters.tsx';
import { composeQuery, NO_CONTROLS } from './search-controls.ts';

/** Wait this long after the last keystroke before asking the tracker. */
const SEARCH_DEBOUNCE_MS = 150;

interface SearchPanelProps {
  search: SearchView;
  onSearch: (query: string, sort: SearchSort) => void;
  onMore: () => void;
  onDownload: (result: SearchResult) => void;
  /** More to show in a result's row (its sources). */
  renderExtra?: (result: SearchResult) => ReactNode;
  /** Keeps the query as a watched search. */
  onWatch?: (query: string) => void;
}

/** "3 sources, 100 % available" with the complete/partial split when some sources are partial. */
export function describeSources(result: SearchResult): string {
  const sources = result.holders + result.partialHolders;
  const noun = sources === 1 ? 'source' : 'sources';
  const split = result.partialHolders > 0 ? ` (${result.holders} complete, ${result.partialHolders} partial)` : '';
  return `${sources} ${noun}${split}, ${Math.floor(result.availability * 100)} % available`;
}

function summary(search: SearchView): string {
  if (search.status === 'invalid') return search.hint ?? 'This search cannot be understood.';
  if (search.status === 'failed') return `Search failed: ${search.error ?? 'unknown error'}`;
  if (search.status === 'searching' && search.results.length === 0) return 'Searching…';
  if (search.status === 'done' && search.total === 0) return 'No files match.';
  if (search.total > search.results.length) return `Showing ${search.results.length} of ${search.total} files`;
  if (search.total > 0) return `${search.total} ${search.total === 1 ? 'file' : 'files'}`;
  return '';
}

/** The search box (results appear as the user types), its filters, and the result list. */
export function SearchPanel({ search, onSearch, onMore, onDownload, onWatch, renderExtra }: SearchPanelProps) {
  const [query, setQuery] = useState(search.query);
  const [controls, setControls] = useState(NO_CONTROLS);

  useEffect(() => {
    const timer = setTimeout(() => onSearch(composeQuery(query, controls), controls.sort), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, controls, onSearch]);

  return (
    <section className="panel" aria-labelledby="search-heading">
      <h2 id="search-heading">Find files</h2>
      <label className="search-box">
        <span>Search</span>
        <input
          type="search"
          value={query}
          placeholder="File name…"
          onChange={(event) => setQuery(event.target.value)}
        />
      </label>
      <SearchFilters controls={controls} onChange={setControls} />
      {onWatch ? (
        <button
          type="button"
          className="watch-search"
          disabled={query.trim() === ''}
          onClick={() => onWatch(composeQuery(query, controls))}
        >
          Watch this search
        </button>
      ) : null}
      <p className={search.status === 'invalid' ? 'hint query-hint' : 'hint'} aria-live="polite">
        {summary(search)}
      </p>
      {search.results.length > 0 ? (
        <ul className="rows" aria-label="Search results">
          {search.results.map((result) => (
            <li key={result.id} className="row">
              <bdi className="name" title={result.name}>
                {result.name}
              </bdi>
              <span className="size">{result.mimeType === FOLDER_MIME_TYPE ? 'Folder' : formatBytes(result.size)}</span>
              <span className="holders">{describeSources(result)}</span>
              <ResultNames result={result} />
              {result.mimeType === FOLDER_MIME_TYPE ? (
                <button type="button" onClick={() => onDownload(result)} aria-label={`Download folder ${result.name}`}>
                  Download folder
                </button>
              ) : (
                <button type="button" onClick={() => onDownload(result)} aria-label={`Download ${result.name}`}>
                  Download
                </button>
              )}
              {renderExtra?.(result)}
            </li>
          ))}
        </ul>
      ) : null}
      {search.status === 'done' &&
      search.results.length < search.total &&
      search.results.length <= MAX_SEARCH_OFFSET ? (
        <button type="button" className="more-results" onClick={onMore} disabled={search.loadingMore}>
          {search.loadingMore ? 'Loading more results…' : 'More results'}
        </button>
      ) : null}
    </section>
  );
}
