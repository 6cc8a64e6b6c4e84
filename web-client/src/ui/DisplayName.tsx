import { useState, type FormEvent } from 'react';
import { MAX_DISPLAY_NAME_LENGTH } from '@shoal/common';
import type { DisplayNameView } from '../engine/names/display-name-keeper.ts';

interface DisplayNameProps {
  view: DisplayNameView;
  /** Saves a new name; false when it has nothing visible in it. */
  onRename: (name: string) => boolean;
}

/** The name this page goes by, in the header, with a way to change it. */
export function DisplayName({ view, onRename }: DisplayNameProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (draft !== null && onRename(draft)) setDraft(null);
    else setInvalid(true);
  };

  if (draft === null) {
    return (
      <div className="display-name">
        <span>
          You appear as{' '}
          <bdi className="peer-name" data-testid="my-display-name">
            {view.name}
          </bdi>
        </span>
        <button type="button" onClick={() => setDraft(view.name)}>
          Change name
        </button>
        {view.error ? (
          <span className="name-error" role="alert">
            {view.error}
          </span>
        ) : null}
      </div>
    );
  }
  return (
    <form className="display-name" onSubmit={save}>
      <label>
        <span>Display name</span>
        <input
          value={draft}
          maxLength={MAX_DISPLAY_NAME_LENGTH * 2}
          autoFocus
          aria-invalid={invalid}
          onChange={(event) => {
            setDraft(event.target.value);
            setInvalid(false);
          }}
        />
      </label>
      <button type="submit">Save name</button>
      <button type="button" onClick={() => setDraft(null)}>
        Cancel
      </button>
      {invalid ? <span className="name-error">A name needs something visible in it.</span> : null}
    </form>
  );
}
