import {
  MAX_QUERY_LENGTH,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_OFFSET,
  isEmptyQuery,
  parseSearchQuery,
  type SearchResult,
  type SearchSort,
} from '@shoal/common';
import { initialEngineState, type EngineState, type SearchView } from './engine-state.ts';
import type { WritableStore } from './store.ts';
import type { TrackerClient } from './tracker-client.ts';

/** What the page knows is wrong with a query before asking the tracker; `null` when it may be sent. */
export function queryHint(query: string): string | null {
  if (query.length > MAX_QUERY_LENGTH) return `The search is too long: at most ${MAX_QUERY_LENGTH} characters.`;
  const parsed = parseSearchQuery(query);
  return parsed.ok ? null : parsed.hint;
}

/** Results with a next page appended: in order, each file once (the registry may have moved one across pages). */
export function appendPage(results: readonly SearchResult[], page: readonly SearchResult[]): SearchResult[] {
  const seen = new Set(results.map((result) => result.id));
  return [...results, ...page.filter((result) => !seen.has(result.id))];
}

/**
 * The page's search: checks the query itself first (a wrong filter gets its hint without asking the tracker), asks
 * the tracker for one page at a time, and keeps only the latest query's answers.
 */
export class Search {
  private seq = 0;

  constructor(
    private readonly state: WritableStore<EngineState>,
    private readonly tracker: Pick<TrackerClient, 'request'>,
  ) {}

  private get view(): SearchView {
    return this.state.getSnapshot().search;
  }

  private show(change: Partial<SearchView>): void {
    this.state.update((s) => ({ ...s, search: { ...s.search, ...change } }));
  }

  /** Searches from the first page; the query's own hint, or nothing, when it cannot or need not be sent. */
  search(query: string, sort: SearchSort): void {
    const seq = ++this.seq;
    const fresh = { ...initialEngineState.search, query, sort };
    const hint = queryHint(query);
    if (hint !== null) return this.show({ ...fresh, status: 'invalid', hint });
    const parsed = parseSearchQuery(query);
    if (parsed.ok && isEmptyQuery(parsed.query)) return this.show(fresh);
    this.show({ query, sort, status: 'searching', error: null, hint: null, loadingMore: false });
    void this.page(query, sort, 0).then((answer) => {
      if (seq !== this.seq) return;
      if (answer.ok)
        return this.show({ ...fresh, status: 'done', results: answer.data.results, total: answer.data.total });
      this.fail(answer.error.code, answer.error.message);
    });
  }

  /** Asks for the next page of the current search and appends it. */
  more(): void {
    const { query, sort, status, results, total, loadingMore } = this.view;
    if (status !== 'done' || loadingMore || results.length >= total || results.length > MAX_SEARCH_OFFSET) return;
    const seq = this.seq;
    this.show({ loadingMore: true });
    void this.page(query, sort, results.length).then((answer) => {
      if (seq !== this.seq) return;
      if (!answer.ok) return this.fail(answer.error.code, answer.error.message);
      this.show({
        results: appendPage(this.view.results, answer.data.results),
        total: answer.data.total,
        loadingMore: false,
      });
    });
  }

  /** Asks again (after a reconnection: the registry may have changed). */
  repeat(): void {
    const { query, sort } = this.view;
    if (query) this.search(query, sort);
  }

  private page(query: string, sort: SearchSort, offset: number) {
    return this.tracker.request('files:search', { query, sort, offset, limit: MAX_SEARCH_LIMIT });
  }

  private fail(code: string, message: string): void {
    // The tracker judged the query (it may know a filter this page does not): its message is the hint.
    if (code === 'INVALID_QUERY') return this.show({ status: 'invalid', hint: message, loadingMore: false });
    this.show({ status: 'failed', error: message, loadingMore: false });
  }
}
