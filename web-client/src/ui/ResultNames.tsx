import type { SearchResult } from '@shoal/common';

/** "also shared as b.mp4, c.mp4 and 3 more": the other names a result's content is shared under, if any. */
export function ResultNames({ result }: { result: SearchResult }) {
  const others = result.names.filter((name) => name !== result.name);
  // The shown name is one of the file's names, listed or not.
  const unlisted = result.nameCount - 1 - others.length;
  if (others.length === 0 && unlisted <= 0) return null;
  return (
    <span className="also-named">
      also shared as{' '}
      {others.map((name, i) => (
        <span key={name}>
          {i > 0 ? ', ' : ''}
          <bdi>{name}</bdi>
        </span>
      ))}
      {unlisted > 0 ? `${others.length > 0 ? ' and ' : ''}${unlisted} more` : ''}
    </span>
  );
}
