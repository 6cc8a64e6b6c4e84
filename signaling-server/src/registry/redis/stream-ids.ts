/** Compares two Redis stream ids (`ms-seq`); negative when `a` comes first. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  const ms = BigInt(aMs) - BigInt(bMs);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(aSeq) - BigInt(bSeq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/** The Redis server time (milliseconds) at which an entry was added: the first part of its stream id. */
export function streamIdTime(id: string): number {
  const ms = Number(id.split('-')[0]);
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : 0;
}
