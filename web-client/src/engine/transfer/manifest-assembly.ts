/** Collects a manifest that arrives in ordered chunks from one peer; refuses chunks that do not line up. */
export class ManifestAssembly<Peer> {
  private bytes: Uint8Array | null = null;
  private received = 0;

  constructor(readonly from: Peer) {}

  /** Adds a chunk: the whole manifest once complete, null while more is due; throws on an inconsistent chunk. */
  add(totalLength: number, offset: number, data: Uint8Array): Uint8Array | null {
    this.bytes ??= new Uint8Array(totalLength);
    if (this.bytes.length !== totalLength || offset !== this.received) throw new Error('inconsistent manifest chunks');
    this.bytes.set(data, offset);
    this.received += data.length;
    return this.received === totalLength ? this.bytes : null;
  }
}
