import {
  MAX_FILE_NAME_LENGTH,
  MAX_FILE_SIZE,
  MAX_FILES_PER_PEER,
  MAX_FILES_PER_REGISTER,
  MAX_FILES_PER_UNREGISTER,
  MAX_MIME_TYPE_LENGTH,
  MAX_QUERY_LENGTH,
  MAX_SDP_LENGTH,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_OFFSET,
  type ClientToServerEvents,
  type SearchResponse,
} from '@shoal/common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { searchParams } from './registry/contract-fixtures.ts';
import type { RegistryStats } from './registry/registry.ts';
import {
  fileId,
  rawRequest,
  relayRefusal,
  request,
  startTracker,
  type Connected,
  type Harness,
} from './test-support/tracker-harness.ts';

const goodFile = { id: fileId(1), name: 'good.txt', size: 10, mimeType: 'text/plain' };
const files = (count: number) => Array.from({ length: count }, (_, i) => ({ ...goodFile, id: fileId(1000 + i) }));
const goodSignal = { to: 'PEER', fileId: fileId(1), connectionId: 'c1', signal: { type: 'offer', sdp: 'v=0' } };
const BAD = '__bad_input__';

/** [event, description, payload]; `BAD` marks a call made without any payload. */
const cases: [keyof ClientToServerEvents, string, unknown][] = [
  // files:register
  ['files:register', 'no payload', BAD],
  ['files:register', 'null', null],
  ['files:register', 'a number', 42],
  ['files:register', 'a string', 'files'],
  ['files:register', 'an array', [goodFile]],
  ['files:register', 'missing files', {}],
  ['files:register', 'files not an array', { files: goodFile }],
  ['files:register', 'empty files', { files: [] }],
  ['files:register', `more than ${MAX_FILES_PER_REGISTER} files`, { files: files(MAX_FILES_PER_REGISTER + 1) }],
  ['files:register', 'an extra top-level field', { files: [goodFile], peerId: 'someone-else' }],
  ['files:register', 'an extra file field', { files: [{ ...goodFile, path: '/etc/passwd' }] }],
  ['files:register', 'a file that is not an object', { files: ['good.txt'] }],
  ['files:register', 'a missing id', { files: [{ ...goodFile, id: undefined }] }],
  ['files:register', 'a short id', { files: [{ ...goodFile, id: 'abc' }] }],
  ['files:register', 'an upper-case id', { files: [{ ...goodFile, id: fileId(1).toUpperCase().replace(/^0/, 'A') }] }],
  ['files:register', 'an id that is not hex', { files: [{ ...goodFile, id: 'g'.repeat(64) }] }],
  ['files:register', 'a missing name', { files: [{ ...goodFile, name: undefined }] }],
  ['files:register', 'an empty name', { files: [{ ...goodFile, name: '' }] }],
  ['files:register', 'a blank name', { files: [{ ...goodFile, name: '   ' }] }],
  ['files:register', 'a name with a control character', { files: [{ ...goodFile, name: 'a\u0000b' }] }],
  ['files:register', 'a name with a newline', { files: [{ ...goodFile, name: 'a\nb' }] }],
  ['files:register', 'an oversized name', { files: [{ ...goodFile, name: 'x'.repeat(MAX_FILE_NAME_LENGTH + 1) }] }],
  ['files:register', 'a huge name', { files: [{ ...goodFile, name: 'x'.repeat(500_000) }] }],
  ['files:register', 'a numeric name', { files: [{ ...goodFile, name: 123 }] }],
  ['files:register', 'a negative size', { files: [{ ...goodFile, size: -1 }] }],
  ['files:register', 'a fractional size', { files: [{ ...goodFile, size: 1.5 }] }],
  ['files:register', 'a string size', { files: [{ ...goodFile, size: '10' }] }],
  ['files:register', 'a size beyond the largest file', { files: [{ ...goodFile, size: MAX_FILE_SIZE + 1 }] }],
  ['files:register', 'a null size', { files: [{ ...goodFile, size: null }] }],
  [
    'files:register',
    'an oversized MIME type',
    { files: [{ ...goodFile, mimeType: 'x'.repeat(MAX_MIME_TYPE_LENGTH + 1) }] },
  ],
  ['files:register', 'one bad file among good ones', { files: [...files(5), { ...goodFile, size: -5 }] }],
  // files:announce (binary bitfields cannot go through this JSON table: see tracker-announce.test.ts)
  ['files:announce', 'no payload', BAD],
  ['files:announce', 'missing files', {}],
  ['files:announce', 'empty files', { files: [] }],
  ['files:announce', 'a bitfield as an array of numbers', { files: [{ id: fileId(1), have: [0x80] }] }],
  ['files:announce', 'a bitfield as a base64 string', { files: [{ id: fileId(1), have: 'gA==' }] }],
  ['files:announce', 'an extra field (someone else’s id)', { files: [{ id: fileId(1), have: [1] }], peerId: 'seeder' }],
  // files:unregister
  ['files:unregister', 'no payload', BAD],
  ['files:unregister', 'missing fileIds', {}],
  ['files:unregister', 'empty fileIds', { fileIds: [] }],
  ['files:unregister', 'fileIds not an array', { fileIds: fileId(1) }],
  ['files:unregister', 'a bad id', { fileIds: [fileId(1), 'zz'] }],
  [
    'files:unregister',
    `more than ${MAX_FILES_PER_UNREGISTER} ids`,
    { fileIds: files(MAX_FILES_PER_UNREGISTER + 1).map((f) => f.id) },
  ],
  ['files:unregister', 'an extra field (someone else’s id)', { fileIds: [fileId(1)], peerId: 'seeder' }],
  // files:search
  ['files:search', 'no payload', BAD],
  ['files:search', 'a bare string', 'seed'],
  ['files:search', 'a missing query', {}],
  ['files:search', 'a numeric query', { query: 5 }],
  ['files:search', 'an oversized query', { query: 'q'.repeat(MAX_QUERY_LENGTH + 1) }],
  ['files:search', 'a negative offset', { query: 'seed', offset: -1 }],
  ['files:search', 'an offset too deep', { query: 'seed', offset: MAX_SEARCH_OFFSET + 1 }],
  ['files:search', 'a zero limit', { query: 'seed', limit: 0 }],
  ['files:search', 'a limit too large', { query: 'seed', limit: MAX_SEARCH_LIMIT + 1 }],
  ['files:search', 'a fractional limit', { query: 'seed', limit: 1.5 }],
  ['files:search', 'an extra field', { query: 'seed', order: 'size' }],
  ['files:search', 'an unknown sort', { query: 'seed', sort: 'name' }],
  ['files:search', 'a sort of the wrong type', { query: 'seed', sort: 1 }],
  ['files:search', 'a sort as an array', { query: 'seed', sort: ['size'] }],
  // files:holders
  ['files:holders', 'no payload', BAD],
  ['files:holders', 'a missing fileId', {}],
  ['files:holders', 'a bad fileId', { fileId: 'x' }],
  ['files:holders', 'a numeric fileId', { fileId: 12 }],
  ['files:holders', 'an extra field', { fileId: fileId(1), exceptPeer: 'x' }],
  // signal:relay
  ['signal:relay', 'no payload', BAD],
  ['signal:relay', 'a missing to', { ...goodSignal, to: undefined }],
  ['signal:relay', 'an empty to', { ...goodSignal, to: '' }],
  ['signal:relay', 'an oversized to', { ...goodSignal, to: 'p'.repeat(65) }],
  ['signal:relay', 'a bad fileId', { ...goodSignal, fileId: 'nope' }],
  ['signal:relay', 'a connectionId with spaces', { ...goodSignal, connectionId: 'a b' }],
  ['signal:relay', 'an oversized connectionId', { ...goodSignal, connectionId: 'c'.repeat(65) }],
  ['signal:relay', 'an empty signal', { ...goodSignal, signal: {} }],
  ['signal:relay', 'an offer without sdp', { ...goodSignal, signal: { type: 'offer' } }],
  ['signal:relay', 'an unknown signal type', { ...goodSignal, signal: { type: 'bogus', sdp: 'v=0' } }],
  [
    'signal:relay',
    'an oversized sdp',
    { ...goodSignal, signal: { type: 'offer', sdp: 's'.repeat(MAX_SDP_LENGTH + 1) } },
  ],
  [
    'signal:relay',
    'an oversized candidate',
    { ...goodSignal, signal: { type: 'candidate', candidate: { candidate: 'c'.repeat(4096) } } },
  ],
  ['signal:relay', 'renegotiate false', { ...goodSignal, signal: { renegotiate: false } }],
  ['signal:relay', 'a spoofed from', { ...goodSignal, from: 'someone-else' }],
];

interface Snapshot {
  stats: RegistryStats;
  search: SearchResponse;
}

describe('tracker: malformed requests', () => {
  let harness: Harness;
  let seeder: Connected;
  let attacker: Connected;
  let bystander: Connected;
  let before: Snapshot;

  const snapshot = async (): Promise<Snapshot> => ({
    stats: await harness.tracker.registry.stats(),
    search: await harness.tracker.registry.search(searchParams('seed', 0, 100)),
  });

  beforeAll(async () => {
    harness = await startTracker();
    seeder = await harness.connect();
    await request(seeder, 'files:register', {
      files: [
        { id: fileId(1), name: 'seed one.txt', size: 1, mimeType: '' },
        { id: fileId(2), name: 'seed two.txt', size: 2, mimeType: '' },
      ],
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  // Fresh clients per case, so rate limits never mask a validation result.
  beforeEach(async () => {
    attacker = await harness.connect();
    bystander = await harness.connect();
    await request(attacker, 'files:register', {
      files: [{ id: fileId(3), name: 'attacker seed.txt', size: 3, mimeType: '' }],
    });
    before = await snapshot();
  });
  afterEach(() => {
    attacker.socket.disconnect();
    bystander.socket.disconnect();
  });

  it.each(cases)('%s with %s: INVALID_PAYLOAD, nothing changed', async (event, _description, payload) => {
    const body = JSON.stringify(payload ?? null).replaceAll('PEER', bystander.peerId);
    const args = payload === BAD ? [] : [JSON.parse(body) as unknown];
    let delivered = 0;
    bystander.socket.on('signal:incoming', () => delivered++);
    // Signals are not acknowledged: a refused one is answered with signal:failed.
    const answer =
      event === 'signal:relay'
        ? { ok: false, error: (await relayRefusal(attacker, ...args)).error }
        : await rawRequest(attacker, event, ...args);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    if (!answer.ok) expect(answer.error.message.length).toBeGreaterThan(0);

    expect(await snapshot()).toEqual(before);
    // The attacker's connection survives and everyone else is served.
    expect(attacker.socket.connected).toBe(true);
    expect((await request(attacker, 'files:search', { query: 'seed' })).ok).toBe(true);
    const seen = await request(bystander, 'files:search', { query: 'seed' });
    expect(seen.ok && seen.data.total).toBe(3);
    expect(delivered).toBe(0);
  });

  it('refuses extra arguments after the payload', async () => {
    const answer = await rawRequest(attacker, 'files:search', { query: 'seed' }, 'extra');
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('says what was wrong', async () => {
    const answer = await rawRequest(attacker, 'files:register', { files: [{ ...goodFile, size: -1 }] });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/^files\.0\.size: /) as unknown as string },
    });
  });

  it(`stops a peer at ${MAX_FILES_PER_PEER} files without changing anything`, async () => {
    const batch = (from: number) =>
      Array.from({ length: MAX_FILES_PER_REGISTER }, (_, i) => ({
        id: fileId(10_000 + from + i),
        name: `bulk ${from + i}.dat`,
        size: 1,
        mimeType: '',
      }));
    // The attacker already holds one file; fill up to the limit exactly.
    const fill = [...batch(0).slice(1)];
    expect(await request(attacker, 'files:register', { files: fill })).toEqual({
      ok: true,
      data: { total: MAX_FILES_PER_REGISTER },
    });
    for (let from = MAX_FILES_PER_REGISTER; from < MAX_FILES_PER_PEER; from += MAX_FILES_PER_REGISTER) {
      expect((await request(attacker, 'files:register', { files: batch(from) })).ok).toBe(true);
    }
    const full = await snapshot();
    expect(full.stats.files).toBe(before.stats.files + MAX_FILES_PER_PEER - 1);
    const over = await request(attacker, 'files:register', {
      files: [
        { ...goodFile, id: fileId(3), name: 'renamed.txt' },
        { ...goodFile, id: fileId(99_999) },
      ],
    });
    expect(over).toMatchObject({ ok: false, error: { code: 'TOO_MANY_FILES' } });
    expect(await snapshot()).toEqual(full);
    const seen = await request(bystander, 'files:search', { query: 'renamed' });
    expect(seen.ok && seen.data.total).toBe(0);
  });
});
