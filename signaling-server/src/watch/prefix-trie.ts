/** One node: the values filed under the prefix that leads here, and the longer prefixes by their next code unit. */
interface TrieNode<V> {
  readonly children: Map<number, TrieNode<V>>;
  values: V[] | null;
}

/**
 * Values filed under prefixes, found for a word by walking it: every prefix of the word that has values is found in
 * one pass, without making a string per prefix. Keyed by UTF-16 code units (the same for filing and finding, so a
 * character outside the BMP is simply two steps).
 */
export class PrefixTrie<V> {
  private readonly root: TrieNode<V> = { children: new Map(), values: null };
  private count = 0;

  /** Prefixes with at least one value. */
  get size(): number {
    return this.count;
  }

  add(prefix: string, value: V): void {
    let node = this.root;
    for (let i = 0; i < prefix.length; i++) {
      const unit = prefix.charCodeAt(i);
      let next = node.children.get(unit);
      if (!next) node.children.set(unit, (next = { children: new Map(), values: null }));
      node = next;
    }
    if (!node.values) {
      node.values = [];
      this.count++;
    }
    node.values.push(value);
  }

  remove(prefix: string, value: V): void {
    const path: TrieNode<V>[] = [this.root];
    for (let i = 0; i < prefix.length; i++) {
      const next = path[i]?.children.get(prefix.charCodeAt(i));
      if (!next) return;
      path.push(next);
    }
    const node = path[prefix.length] as TrieNode<V>;
    const at = node.values?.indexOf(value) ?? -1;
    if (at < 0 || !node.values) return;
    node.values.splice(at, 1);
    if (node.values.length > 0) return;
    node.values = null;
    this.count--;
    // Prune the branch back to the last node still in use.
    for (let depth = prefix.length; depth > 0; depth--) {
      const child = path[depth] as TrieNode<V>;
      if (child.values || child.children.size > 0) break;
      path[depth - 1]?.children.delete(prefix.charCodeAt(depth - 1));
    }
  }

  /** Calls `visit` with the values of every prefix of `word` (shortest first) that has any. */
  forPrefixesOf(word: string, visit: (values: readonly V[]) => void): void {
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; i < word.length; i++) {
      node = node.children.get(word.charCodeAt(i));
      if (!node) return;
      if (node.values) visit(node.values);
    }
  }
}
