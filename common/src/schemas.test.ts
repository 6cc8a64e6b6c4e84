import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEARCH_LIMIT,
  MAX_CANDIDATE_LENGTH,
  MAX_FILE_NAME_LENGTH,
  MAX_FILE_SIZE,
  MAX_FILES_PER_REGISTER,
  MAX_MIME_TYPE_LENGTH,
  MAX_QUERY_LENGTH,
  MAX_SDP_LENGTH,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_OFFSET,
} from './limits.ts';
import { describeZodError } from './result.ts';
import {
  connectionIdSchema,
  fileRegistrationSchema,
  registerFilesSchema,
  isWellFormedRelaySignal,
  relaySignalSchema,
  SEARCH_SORTS,
  searchSchema,
  signalDataSchema,
  unregisterFilesSchema,
} from './schemas.ts';

const ID = 'ab'.repeat(32);
const file = { id: ID, name: 'holiday.jpg', size: 1234, mimeType: 'image/jpeg' };

/** Whether `schema` accepts `value`. */
function accepts(schema: { safeParse(value: unknown): { success: boolean } }, value: unknown): boolean {
  return schema.safeParse(value).success;
}

describe('fileRegistrationSchema', () => {
  it('accepts a well-formed file and defaults the MIME type', () => {
    expect(fileRegistrationSchema.parse(file)).toEqual(file);
    expect(fileRegistrationSchema.parse({ id: ID, name: 'a', size: 0 })).toEqual({
      id: ID,
      name: 'a',
      size: 0,
      mimeType: '',
    });
  });

  it('accepts names in any script, with spaces, emoji and punctuation', () => {
    for (const name of [
      'Crème brûlée (1).mp3',
      '東京タワー.jpg',
      'Привет мир.txt',
      '🎉 party 🎉.png',
      ' leading space',
    ]) {
      expect(accepts(fileRegistrationSchema, { ...file, name }), name).toBe(true);
    }
  });

  it('rejects names with control characters', () => {
    for (const name of [
      'a\u0000b',
      'line\nbreak',
      'tab\there',
      'a\rb',
      'esc\u001b[31m',
      'del\u007f',
      'c1\u0085',
      'csi\u009b2J',
    ]) {
      expect(accepts(fileRegistrationSchema, { ...file, name }), JSON.stringify(name)).toBe(false);
    }
  });

  it('rejects empty and blank names', () => {
    for (const name of ['', ' ', '   \u00a0', '\u3000']) {
      expect(accepts(fileRegistrationSchema, { ...file, name }), JSON.stringify(name)).toBe(false);
    }
  });

  it('bounds the name length in code points', () => {
    expect(accepts(fileRegistrationSchema, { ...file, name: 'x'.repeat(MAX_FILE_NAME_LENGTH) })).toBe(true);
    expect(accepts(fileRegistrationSchema, { ...file, name: 'x'.repeat(MAX_FILE_NAME_LENGTH + 1) })).toBe(false);
    expect(accepts(fileRegistrationSchema, { ...file, name: '🎉'.repeat(MAX_FILE_NAME_LENGTH) })).toBe(true);
    expect(accepts(fileRegistrationSchema, { ...file, name: '🎉'.repeat(MAX_FILE_NAME_LENGTH + 1) })).toBe(false);
  });

  it('rejects sizes that are negative, fractional, not finite, too large or not numbers', () => {
    expect(accepts(fileRegistrationSchema, { ...file, size: MAX_FILE_SIZE })).toBe(true);
    for (const size of [-1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_FILE_SIZE + 1, '10', null]) {
      expect(accepts(fileRegistrationSchema, { ...file, size }), String(size)).toBe(false);
    }
  });

  it('rejects ids that are not 64 lower-case hex digits', () => {
    for (const id of [
      ID.toUpperCase(),
      'Ab'.repeat(32),
      ID.slice(1),
      `${ID}0`,
      'g'.repeat(64),
      '',
      ` ${ID.slice(1)}`,
    ]) {
      expect(accepts(fileRegistrationSchema, { ...file, id }), id).toBe(false);
    }
  });

  it('rejects over-long MIME types', () => {
    expect(accepts(fileRegistrationSchema, { ...file, mimeType: 'x'.repeat(MAX_MIME_TYPE_LENGTH) })).toBe(true);
    expect(accepts(fileRegistrationSchema, { ...file, mimeType: 'x'.repeat(MAX_MIME_TYPE_LENGTH + 1) })).toBe(false);
  });

  it('rejects extra and missing keys', () => {
    expect(accepts(fileRegistrationSchema, { ...file, owner: 'me' })).toBe(false);
    expect(accepts(fileRegistrationSchema, JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(file).slice(1)}`))).toBe(
      false,
    );
    expect(accepts(fileRegistrationSchema, { id: ID, size: 1 })).toBe(false);
    expect(accepts(fileRegistrationSchema, { name: 'a', size: 1 })).toBe(false);
  });
});

describe('registerFilesSchema and unregisterFilesSchema', () => {
  it('bounds the batch size', () => {
    expect(accepts(registerFilesSchema, { files: [] })).toBe(false);
    expect(accepts(registerFilesSchema, { files: [file] })).toBe(true);
    expect(accepts(registerFilesSchema, { files: Array(MAX_FILES_PER_REGISTER).fill(file) })).toBe(true);
    expect(accepts(registerFilesSchema, { files: Array(MAX_FILES_PER_REGISTER + 1).fill(file) })).toBe(false);
  });

  it('rejects a batch with one bad file and extra keys', () => {
    expect(accepts(registerFilesSchema, { files: [file, { ...file, name: '' }] })).toBe(false);
    expect(accepts(registerFilesSchema, { files: [file], extra: true })).toBe(false);
  });

  it('takes file ids to unregister', () => {
    expect(accepts(unregisterFilesSchema, { fileIds: [ID] })).toBe(true);
    expect(accepts(unregisterFilesSchema, { fileIds: [] })).toBe(false);
    expect(accepts(unregisterFilesSchema, { fileIds: [ID.toUpperCase()] })).toBe(false);
  });
});

describe('searchSchema', () => {
  it('defaults sort, offset and limit', () => {
    const defaults = { sort: 'relevance', offset: 0, limit: DEFAULT_SEARCH_LIMIT };
    expect(searchSchema.parse({ query: 'cats' })).toEqual({ query: 'cats', ...defaults });
    expect(searchSchema.parse({ query: '' })).toEqual({ query: '', ...defaults });
  });

  it('keeps given values within bounds', () => {
    for (const sort of SEARCH_SORTS) {
      expect(searchSchema.parse({ query: 'x', sort, offset: MAX_SEARCH_OFFSET, limit: MAX_SEARCH_LIMIT })).toEqual({
        query: 'x',
        sort,
        offset: MAX_SEARCH_OFFSET,
        limit: MAX_SEARCH_LIMIT,
      });
    }
  });

  it('rejects out-of-bounds values, long queries and extra keys', () => {
    const bad = [
      { query: 'x'.repeat(MAX_QUERY_LENGTH + 1) },
      { query: 'x', limit: 0 },
      { query: 'x', limit: MAX_SEARCH_LIMIT + 1 },
      { query: 'x', limit: 1.5 },
      { query: 'x', offset: -1 },
      { query: 'x', offset: MAX_SEARCH_OFFSET + 1 },
      { query: 'x', sort: 'name' },
      { query: 'x', sort: 'SIZE' },
      { query: 'x', sort: '' },
      { query: 'x', sort: null },
      { query: 'x', sort: ['size'] },
      { query: 'x', sort: { toString: 'size' } },
      { query: 'x', order: 'size' },
      { offset: 0 },
      { query: 5 },
    ];
    for (const value of bad) expect(accepts(searchSchema, value), JSON.stringify(value)).toBe(false);
    expect(accepts(searchSchema, { query: 'x'.repeat(MAX_QUERY_LENGTH) })).toBe(true);
  });
});

describe('signalDataSchema', () => {
  const sdp = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
  const candidate = {
    candidate: 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0',
    sdpMLineIndex: 0,
    sdpMid: '0',
  };

  it("accepts simple-peer's session descriptions", () => {
    for (const type of ['offer', 'answer', 'pranswer', 'rollback']) {
      expect(accepts(signalDataSchema, { type, sdp }), type).toBe(true);
    }
  });

  it("accepts simple-peer's ICE candidates, with nullable fields and a username fragment", () => {
    expect(signalDataSchema.parse({ type: 'candidate', candidate })).toEqual({ type: 'candidate', candidate });
    const bare = { candidate: candidate.candidate, sdpMLineIndex: null, sdpMid: null };
    expect(accepts(signalDataSchema, { type: 'candidate', candidate: bare })).toBe(true);
    expect(
      accepts(signalDataSchema, { type: 'candidate', candidate: { ...candidate, usernameFragment: 'abcd' } }),
    ).toBe(true);
    expect(accepts(signalDataSchema, { type: 'candidate', candidate: { ...candidate, candidate: '' } })).toBe(true);
  });

  it('accepts a renegotiation request', () => {
    expect(accepts(signalDataSchema, { renegotiate: true })).toBe(true);
    expect(accepts(signalDataSchema, { renegotiate: false })).toBe(false);
  });

  it('rejects oversized session descriptions and candidates', () => {
    expect(accepts(signalDataSchema, { type: 'offer', sdp: 'a'.repeat(MAX_SDP_LENGTH) })).toBe(true);
    expect(accepts(signalDataSchema, { type: 'offer', sdp: 'a'.repeat(MAX_SDP_LENGTH + 1) })).toBe(false);
    const long = { ...candidate, candidate: 'c'.repeat(MAX_CANDIDATE_LENGTH + 1) };
    expect(accepts(signalDataSchema, { type: 'candidate', candidate: long })).toBe(false);
  });

  it('rejects unknown types, missing fields and extra keys', () => {
    const bad = [
      { type: 'bogus', sdp },
      { type: 'offer' },
      { type: 'offer', sdp: 42 },
      { type: 'offer', sdp, extra: 1 },
      { type: 'candidate' },
      { type: 'candidate', candidate: { ...candidate, sdpMLineIndex: -1 } },
      { type: 'candidate', candidate: { ...candidate, sdpMLineIndex: 0.5 } },
      { type: 'candidate', candidate: { ...candidate, foo: 'bar' } },
      { transceiverRequest: { kind: 'audio' } },
      { renegotiate: true, type: 'offer', sdp },
      null,
      'offer',
    ];
    for (const value of bad) expect(accepts(signalDataSchema, value), JSON.stringify(value)).toBe(false);
  });
});

describe('relaySignalSchema', () => {
  const relay = { to: 'peer-1', fileId: ID, connectionId: 'c_0-AZ', signal: { type: 'answer', sdp: 'v=0' } };

  it('accepts a well-formed relay request', () => {
    expect(relaySignalSchema.parse(relay)).toEqual(relay);
  });

  it('rejects bad connection ids, an empty target and a `from` field', () => {
    expect(accepts(relaySignalSchema, { ...relay, connectionId: 'has space' })).toBe(false);
    expect(accepts(relaySignalSchema, { ...relay, to: '' })).toBe(false);
    expect(accepts(relaySignalSchema, { ...relay, from: 'someone-else' })).toBe(false);
    expect(accepts(connectionIdSchema, 'x'.repeat(65))).toBe(false);
    expect(accepts(connectionIdSchema, '')).toBe(false);
  });
});

describe('isWellFormedRelaySignal', () => {
  const good: unknown[] = [
    { to: 'peer-1', fileId: ID, connectionId: 'c_0-AZ', signal: { type: 'answer', sdp: 'v=0' } },
    { to: 'p', fileId: ID, connectionId: 'c', signal: { type: 'rollback', sdp: '' } },
    { to: 'p', fileId: ID, connectionId: 'c', signal: { renegotiate: true } },
    {
      to: 'p'.repeat(64),
      fileId: ID,
      connectionId: 'c'.repeat(64),
      signal: {
        type: 'candidate',
        candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMLineIndex: 0, sdpMid: '0' },
      },
    },
    {
      to: 'p',
      fileId: ID,
      connectionId: 'c',
      signal: {
        type: 'candidate',
        candidate: { candidate: '', sdpMLineIndex: null, sdpMid: null, usernameFragment: 'u' },
      },
    },
  ];
  const bad: unknown[] = [
    null,
    [],
    'x',
    { ...(good[0] as object), from: 'x' },
    { ...(good[0] as object), to: '' },
    { ...(good[0] as object), to: 'p'.repeat(65) },
    { ...(good[0] as object), fileId: ID.toUpperCase() },
    { ...(good[0] as object), connectionId: 'a b' },
    { ...(good[0] as object), connectionId: 'c'.repeat(65) },
    { ...(good[0] as object), signal: { type: 'offer' } },
    { ...(good[0] as object), signal: { type: 'offer', sdp: 'x'.repeat(64 * 1024 + 1) } },
    { ...(good[0] as object), signal: { type: 'offer', sdp: 'v=0', extra: 1 } },
    { ...(good[0] as object), signal: { renegotiate: false } },
    { ...(good[0] as object), signal: { renegotiate: true, type: 'offer' } },
    { ...(good[0] as object), signal: { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: 1.5 } } },
    { ...(good[0] as object), signal: { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: 1025 } } },
    { ...(good[0] as object), signal: { type: 'candidate', candidate: { candidate: 'c', other: 1 } } },
    { ...(good[0] as object), signal: { type: 'candidate', candidate: 'c' } },
    JSON.parse(`{"to":"p","fileId":"${ID}","connectionId":"c","signal":{"renegotiate":true},"__proto__":{}}`),
  ];

  it('accepts well-formed relay requests as the schema does', () => {
    for (const value of good) {
      expect(isWellFormedRelaySignal(value), JSON.stringify(value)).toBe(true);
      expect(relaySignalSchema.parse(value)).toEqual(value);
    }
  });

  it('leaves every request the schema refuses to the schema', () => {
    for (const value of bad) {
      expect(accepts(relaySignalSchema, value), JSON.stringify(value)).toBe(false);
      expect(isWellFormedRelaySignal(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('accepts only what the schema accepts, unchanged, on random mutations', () => {
    let seed = 99;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const values = [undefined, null, '', 'x', 'a b', ID, 0, -1, 1.5, 1024, 1025, true, false, {}, [], 'x'.repeat(65)];
    const mutate = (value: unknown, depth: number): unknown => {
      if (typeof value !== 'object' || value === null || depth > 3 || random() < 0.3) return value;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      const roll = random();
      if (roll < 0.2) copy[pick(['extra', 'from', 'type', 'sdp', 'renegotiate', 'candidate'])] = pick(values);
      else if (roll < 0.4 && keys.length > 0) delete copy[pick(keys)];
      else if (roll < 0.7 && keys.length > 0) copy[pick(keys)] = pick(values);
      else if (keys.length > 0) {
        const key = pick(keys);
        copy[key] = mutate(copy[key], depth + 1);
      }
      return copy;
    };
    let fast = 0;
    for (let i = 0; i < 5000; i++) {
      const value = mutate(pick(good), 0);
      const parsed = relaySignalSchema.safeParse(value);
      if (isWellFormedRelaySignal(value)) {
        fast++;
        expect(parsed.success, JSON.stringify(value)).toBe(true);
        expect(parsed.data, JSON.stringify(value)).toEqual(value);
      }
    }
    expect(fast).toBeGreaterThan(500);
  });
});

describe('describeZodError', () => {
  it('names the path of the first issue and counts the others', () => {
    const result = registerFilesSchema.safeParse({ files: [{ ...file, name: '', size: -1 }] });
    if (result.success) throw new Error('expected a failure');
    expect(describeZodError(result.error)).toMatch(/^files\.0\.(name|size): .+ \(and \d+ more\)$/);
  });

  it('names the payload itself when the issue has no path', () => {
    const result = searchSchema.safeParse('not an object');
    if (result.success) throw new Error('expected a failure');
    expect(describeZodError(result.error)).toMatch(/^payload: /);
  });
});
