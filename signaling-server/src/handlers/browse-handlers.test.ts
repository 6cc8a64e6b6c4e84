import { describe, expect, it } from 'vitest';
import type { HandlerDeps } from './types.ts';
import { askRemotePeer } from './browse-handlers.ts';

/** An `io` whose broadcasts with acknowledgement answer with each of `answers` in turn (the adapter's replies). */
function ioAnswering(answers: unknown[][]): { io: HandlerDeps['io']; asked: () => number } {
  let asked = 0;
  const operator = {
    timeout: () => operator,
    emitWithAck: async () => answers[Math.min(asked++, answers.length - 1)],
  };
  return { io: { to: () => operator } as unknown as HandlerDeps['io'], asked: () => asked };
}

const query = { offset: 0, limit: 50 };
const reply = { ok: true, data: { entries: [], total: 0 } };

describe('asking a page of another tracker to browse it', () => {
  it('asks again while the registry lists the page and the adapter found no socket yet', async () => {
    const { io, asked } = ioAnswering([[], [], [reply]]);
    expect(await askRemotePeer({ io, isConnected: () => true }, 'page', query)).toEqual({ answered: true, reply });
    expect(asked()).toBe(3);
  });

  it('says the page left, without asking again, once the registry no longer lists it', async () => {
    const { io, asked } = ioAnswering([[]]);
    const asking = await askRemotePeer({ io, isConnected: () => false }, 'page', query);
    expect(asking).toMatchObject({ answered: false, result: { ok: false, error: { code: 'PEER_NOT_FOUND' } } });
    expect(asked()).toBe(1);
  });
});
