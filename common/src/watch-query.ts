import { hasNameTerms, parseSearchQuery, type ParsedSearchQuery } from './search-query.ts';

/** What a watch refused for having no word says. */
export const WATCH_NEEDS_A_WORD =
  'A watched search needs at least one word to look for in names: filters and -exclusions alone would match almost every file.';

/**
 * Parses the query of a watched search: the search box's syntax (see {@link parseSearchQuery}), and at least one word
 * or prefix to look for, so that a watch never means "every new file". The tracker and the page judge it alike.
 */
export function parseWatchQuery(text: string): ParsedSearchQuery {
  const parsed = parseSearchQuery(text);
  if (parsed.ok && !hasNameTerms(parsed.query)) return { ok: false, hint: WATCH_NEEDS_A_WORD };
  return parsed;
}
