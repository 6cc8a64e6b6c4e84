import { useEffect, useRef, useState } from 'react';

/** How long "Link copied" stays. */
const COPIED_MS = 4000;

interface CopyLinkButtonProps {
  /** The share link. */
  url: string;
  /** What it links to, for the button's accessible name. */
  name: string;
}

/**
 * "Copy link": puts a share link on the clipboard and says so; where the page may not write the clipboard (a page
 * served over plain http from another machine), shows the link, selected, to copy by hand.
 */
export function CopyLinkButton({ url, name }: CopyLinkButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), COPIED_MS);
    return () => clearTimeout(timer);
  }, [state]);
  useEffect(() => {
    if (state === 'manual') field.current?.select();
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      setState('manual');
    }
  };

  return (
    <>
      <button type="button" onClick={() => void copy()} aria-label={`Copy link to ${name}`}>
        Copy link
      </button>
      {state === 'copied' ? (
        <span className="copied" role="status">
          Link copied
        </span>
      ) : null}
      {state === 'manual' ? (
        <input
          ref={field}
          className="link-field"
          readOnly
          value={url}
          aria-label={`Link to ${name}`}
          onFocus={(event) => event.currentTarget.select()}
        />
      ) : null}
    </>
  );
}
