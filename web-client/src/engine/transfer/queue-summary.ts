import type { QueuePlace } from './download-types.ts';

/** "Queued at 1 source (place 2)", "Queued at 3 sources (places 1, 2 and 4)": where a download waits for a slot. */
export function describeQueue(queue: readonly QueuePlace[]): string {
  const places = queue.map((entry) => entry.place).sort((a, b) => a - b);
  if (places.length === 1) return `Queued at 1 source (place ${places[0]})`;
  const listed = places.length > 1 ? `${places.slice(0, -1).join(', ')} and ${places.at(-1)}` : '';
  return `Queued at ${places.length} sources (places ${listed})`;
}

/** One entry per holder, the lowest place it gave (a folder's files can be queued at one holder each). */
export function mergeQueues(queues: readonly (readonly QueuePlace[])[]): QueuePlace[] {
  const best = new Map<string, number>();
  for (const entry of queues.flat()) best.set(entry.peerId, Math.min(entry.place, best.get(entry.peerId) ?? Infinity));
  return [...best].map(([peerId, place]) => ({ peerId, place })).sort((a, b) => a.place - b.place);
}
