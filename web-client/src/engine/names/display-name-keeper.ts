import { normalizeDisplayName } from '@shoal/common';
import type { LocalSettings } from '../local-settings.ts';
import { createStore, type Store } from '../store.ts';
import type { TrackerClient } from '../tracker-client.ts';
import { randomDisplayName } from './random-name.ts';

/** Where the name is kept in the browser between visits. */
const STORAGE_KEY = 'shoal-display-name';

/** This page's display name as the header shows it. */
export interface DisplayNameView {
  name: string;
  /** Why the tracker refused it, if it did (the name is still kept here and sent again on the next connection). */
  error: string | null;
}

/** Where the name is kept: the page's local settings, or nothing where the browser has none. */
export type NameStorage = LocalSettings;

export interface DisplayNameDeps {
  tracker: Pick<TrackerClient, 'request'>;
  storage: NameStorage | null;
  random?: () => number;
}

/**
 * The name this page goes by: the one kept in the browser from an earlier visit, else a random friendly one (kept
 * from then on). It is sent to the tracker on every connection ({@link announce}) and whenever the person changes it.
 * Shown to other people, never trusted by anyone as who this is.
 */
export class DisplayNameKeeper {
  private readonly state;
  readonly store: Store<DisplayNameView>;

  constructor(private readonly deps: DisplayNameDeps) {
    const kept = normalizeDisplayName(this.read() ?? '');
    const name = kept !== '' ? kept : randomDisplayName(deps.random);
    if (kept === '') this.write(name);
    this.state = createStore<DisplayNameView>({ name, error: null });
    this.store = this.state;
  }

  get name(): string {
    return this.state.getSnapshot().name;
  }

  /** Tells the tracker the name (after every (re)connection: a new session knows nothing of it). */
  announce(): void {
    const name = this.name;
    void this.deps.tracker.request('peer:name', { name }).then((result) => {
      if (this.name !== name) return; // renamed meanwhile: that request speaks for itself
      if (result.ok) this.state.update(() => ({ name: result.data.name, error: null }));
      else if (result.error.code !== 'OFFLINE')
        this.state.update((s) => ({ ...s, error: `The tracker did not take the name: ${result.error.message}` }));
    });
  }

  /** The person chose a name: kept in its normal form and sent. False (nothing changed) if nothing visible is left. */
  rename(raw: string): boolean {
    const name = normalizeDisplayName(raw);
    if (name === '') return false;
    this.write(name);
    this.state.update(() => ({ name, error: null }));
    this.announce();
    return true;
  }

  private read(): string | null {
    try {
      return this.deps.storage?.getItem(STORAGE_KEY) ?? null;
    } catch {
      return null;
    }
  }

  private write(name: string): void {
    try {
      this.deps.storage?.setItem(STORAGE_KEY, name);
    } catch {
      // Storage full or refused: the name lasts as long as the page.
    }
  }
}
