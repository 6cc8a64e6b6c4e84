import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingNodeFlags, TRACKER_NODE_FLAGS } from './node-flags.ts';

describe('TRACKER_NODE_FLAGS', () => {
  it('are the flags of `npm start`', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const words = manifest.scripts.start.split(/\s+/);
    expect(words[0]).toBe('node');
    for (const flag of TRACKER_NODE_FLAGS) expect(words).toContain(flag);
  });
});

describe('missingNodeFlags', () => {
  it('finds each flag among the process flags or in NODE_OPTIONS, by name', () => {
    expect(missingNodeFlags([], undefined)).toEqual([...TRACKER_NODE_FLAGS]);
    expect(missingNodeFlags(['--import', 'tsx', ...TRACKER_NODE_FLAGS], undefined)).toEqual([]);
    expect(missingNodeFlags([], ` --max-old-space-size=8192 ${TRACKER_NODE_FLAGS.join(' ')}`)).toEqual([]);
    expect(missingNodeFlags(['--max_semi_space_size=32'], '')).toEqual([]);
    expect(missingNodeFlags(['--max-old-space-size=8192'], '--expose-gc')).toEqual([...TRACKER_NODE_FLAGS]);
  });
});
