import {
  FOLDER_MIME_TYPE,
  MAX_QUERY_LENGTH,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_OFFSET,
  MiB,
  type FileRegistration,
  type SearchSort,
} from '@shoal/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileId,
  rawRequest,
  request,
  sleep,
  startTracker,
  type Connected,
  type Harness,
} from './test-support/tracker-harness.ts';

function file(n: number, name: string, size: number, mimeType = ''): FileRegistration {
  return { id: fileId(n), name, size, mimeType };
}

describe('tracker: search with filters, orders and pages', () => {
  let harness: Harness;
  let alice: Connected;
  let bob: Connected;
  let carol: Connected;

  /** Bob's search; fails the test on a refusal. */
  const search = async (query: string, extra: { sort?: SearchSort; offset?: number; limit?: number } = {}) => {
    const answer = await request(bob, 'files:search', { query, ...extra });
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
    return answer.data;
  };
  const names = async (query: string, sort?: SearchSort) => (await search(query, { sort })).results.map((r) => r.name);

  beforeAll(async () => {
    harness = await startTracker();
    [alice, bob, carol] = await Promise.all([harness.connect(), harness.connect(), harness.connect()]);
    await request(alice, 'files:register', {
      files: [
        file(1, 'Lagoon trip.mp4', 8 * MiB, 'video/mp4'),
        file(2, 'Lagoon trip (full).mp4', 900 * MiB, 'video/mp4'),
        file(3, 'lagoon map.pdf', 1 * MiB, 'application/pdf'),
        file(4, 'lagoon birds.flac', 40 * MiB, ''),
        file(5, 'Lagoon', 0, FOLDER_MIME_TYPE),
      ],
    });
    await sleep(5);
    // The same bytes as Alice's small video, under another name, and a file of Carol's own, registered later.
    await request(carol, 'files:register', {
      files: [file(1, 'lagoon holiday clip.mp4', 8 * MiB, 'video/mp4'), file(6, 'lagoon sunset.jpg', 3 * MiB)],
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('filters by kind, extension and size, typed in the query', async () => {
    expect(await names('lagoon type:video')).toEqual(['Lagoon trip.mp4', 'Lagoon trip (full).mp4']);
    expect(await names('lagoon type:video size:<100MB')).toEqual(['Lagoon trip.mp4']);
    expect(await names('type:video size:100MB..1GB')).toEqual(['Lagoon trip (full).mp4']);
    expect(await names('ext:pdf,flac')).toEqual(['lagoon birds.flac', 'lagoon map.pdf']);
    expect(await names('lagoon type:folder')).toEqual(['Lagoon']);
    expect(await names('type:image')).toEqual(['lagoon sunset.jpg']);
  });

  it('matches phrases and leaves out exclusions', async () => {
    expect(await names('"lagoon trip"')).toEqual(['Lagoon trip.mp4', 'Lagoon trip (full).mp4']);
    expect(await names('"trip lagoon"')).toEqual([]);
    expect(await names('lagoon -trip -map -birds')).toEqual(['Lagoon', 'lagoon sunset.jpg']);
  });

  it('shows one row per content with its names and every holder', async () => {
    const { results } = await search('lagoon type:video size:<10MB');
    expect(results).toEqual([
      {
        id: fileId(1),
        name: 'Lagoon trip.mp4',
        names: ['Lagoon trip.mp4', 'lagoon holiday clip.mp4'],
        nameCount: 2,
        size: 8 * MiB,
        mimeType: 'video/mp4',
        holders: 2,
        partialHolders: 0,
        availability: 1,
      },
    ]);
    // Found by a word of either name, shown under the name that matches.
    expect(await names('holiday')).toEqual(['lagoon holiday clip.mp4']);
  });

  it('sorts by size, sources, newest and relevance', async () => {
    expect(await names('lagoon', 'size')).toEqual([
      'Lagoon trip (full).mp4',
      'lagoon birds.flac',
      'Lagoon trip.mp4',
      'lagoon sunset.jpg',
      'lagoon map.pdf',
      'Lagoon',
    ]);
    expect((await names('lagoon', 'sources'))[0]).toBe('Lagoon trip.mp4');
    expect((await names('lagoon', 'newest'))[0]).toBe('lagoon sunset.jpg');
    expect(await names('lagoon')).toEqual(await names('lagoon', 'relevance'));
  });

  it('pages through filtered results in a stable order, without gaps or repeats', async () => {
    const dave = await harness.connect();
    const tracks = Array.from({ length: 37 }, (_, i) => file(100 + i, `reef track ${i}.ogg`, (i + 1) * 1000));
    await request(dave, 'files:register', { files: tracks });
    const seen: string[] = [];
    for (let offset = 0; ; offset += 10) {
      const page = await search('reef type:audio', { sort: 'size', offset, limit: 10 });
      expect(page.total).toBe(37);
      if (page.results.length === 0) break;
      seen.push(...page.results.map((r) => r.name));
    }
    expect(seen).toEqual(Array.from({ length: 37 }, (_, i) => `reef track ${36 - i}.ogg`));
    expect(await search('reef type:audio', { offset: MAX_SEARCH_OFFSET, limit: MAX_SEARCH_LIMIT })).toEqual({
      results: [],
      total: 37,
    });
    dave.socket.disconnect();
  });

  it('answers a wrong filter with INVALID_QUERY and a hint, and goes on answering', async () => {
    for (const [query, hint] of [
      ['lagoon type:movie', /Unknown type "movie"/],
      ['size:big', /size:>100MB/],
      ['lagoon -type:video', /cannot be negated/],
      ['size:>2GB size:<1GB', /range is empty/],
      ['ext:a/b', /not a file extension/],
    ] as const) {
      const answer = await request(bob, 'files:search', { query });
      expect(answer.ok, query).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).toBe('INVALID_QUERY');
        expect(answer.error.message).toMatch(hint);
      }
    }
    expect(await names('lagoon type:image')).toEqual(['lagoon sunset.jpg']);
  });

  it('refuses hostile sorts, offsets and limits without harm, and survives hostile query text', async () => {
    for (const payload of [
      { query: 'lagoon', sort: 'name' },
      { query: 'lagoon', sort: '__proto__' },
      { query: 'lagoon', sort: { $gt: '' } },
      { query: 'lagoon', sort: null },
      { query: 'lagoon', offset: '0' },
      { query: 'lagoon', offset: Number.NaN },
      { query: 'lagoon', offset: 1e300 },
      { query: 'lagoon', limit: -5 },
      { query: 'lagoon', limit: Infinity },
    ]) {
      const answer = await rawRequest(bob, 'files:search', payload);
      expect(answer.ok, JSON.stringify(payload)).toBe(false);
      if (!answer.ok) expect(answer.error.code).toBe('INVALID_PAYLOAD');
    }
    // Text at the length limit made of syntax: answered (results or a hint), never a failure.
    const texts = [
      '"'.repeat(MAX_QUERY_LENGTH),
      '-'.repeat(MAX_QUERY_LENGTH),
      'type:video '.repeat(MAX_QUERY_LENGTH / 11),
      '-a '.repeat(MAX_QUERY_LENGTH / 3),
      '"a b" '.repeat(MAX_QUERY_LENGTH / 6),
      'size:1..'.repeat(MAX_QUERY_LENGTH / 8),
      `size:${'9'.repeat(MAX_QUERY_LENGTH - 6)}`,
    ];
    for (const query of texts) {
      const answer = await request(bob, 'files:search', { query });
      if (!answer.ok) expect(answer.error.code, query).toBe('INVALID_QUERY');
    }
    expect((await search('lagoon')).total).toBeGreaterThan(0);
  });

  it('finds nothing, and says nothing is wrong, for a query with nothing to look for', async () => {
    for (const query of ['', '   ', '""', '- -']) expect(await search(query)).toEqual({ results: [], total: 0 });
  });
});
