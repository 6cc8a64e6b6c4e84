import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowTrackerOrigins, originsOf } from './origins.ts';

function decide(headers: Record<string, string>): boolean {
  const allow = allowTrackerOrigins(['http://10.0.0.1:8089', 'https://shoal.example/t2']);
  let answer = false;
  allow({ headers } as unknown as IncomingMessage, (_err, ok) => (answer = ok));
  return answer;
}

describe('allowTrackerOrigins', () => {
  it('takes the origins of the tracker URLs', () => {
    expect(originsOf(['https://shoal.example/t1', 'https://shoal.example/t2', 'http://a:1'])).toEqual([
      'https://shoal.example',
      'http://a:1',
    ]);
  });

  it('lets pages of the trackers, the same origin and non-browser clients in, and no one else', () => {
    expect(decide({ origin: 'http://10.0.0.1:8089', host: '10.0.0.2:8089' })).toBe(true);
    expect(decide({ origin: 'https://shoal.example', host: 'x' })).toBe(true);
    expect(decide({ origin: 'http://lb.example', host: 'lb.example' })).toBe(true);
    expect(decide({ host: '10.0.0.2:8089' })).toBe(true);
    expect(decide({ origin: 'https://evil.example', host: '10.0.0.2:8089' })).toBe(false);
    expect(decide({ origin: 'http://10.0.0.1:8090', host: '10.0.0.1:8089' })).toBe(false);
  });
});
