/**
 * How many times this page sent each piece of each file: the engine's transfer statistics (tests check with them
 * that a resumed download never fetched a verified piece again).
 */
export class UploadStats {
  private readonly sent = new Map<string, Map<number, number>>();

  /** The last chunk of piece `index` of `fileId` went out. */
  record(fileId: string, index: number): void {
    let pieces = this.sent.get(fileId);
    if (!pieces) this.sent.set(fileId, (pieces = new Map()));
    pieces.set(index, (pieces.get(index) ?? 0) + 1);
  }

  /** Times each piece was sent, by file id and piece index. */
  snapshot(): Record<string, Record<number, number>> {
    const out: Record<string, Record<number, number>> = {};
    for (const [fileId, pieces] of this.sent) out[fileId] = Object.fromEntries(pieces);
    return out;
  }
}
