import { readFileSync } from 'node:fs';
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
const self = new Map<number, number>();
const dt = profile.timeDeltas as number[];
profile.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfByFn = new Map<string, number>();
const totalByFn = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id);
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  selfByFn.set(key, (selfByFn.get(key) ?? 0) + us);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const m = byId.get(cur);
    const k = `${m.callFrame.functionName || '(anon)'} ${m.callFrame.url.split('/').pop()}:${m.callFrame.lineNumber}`;
    if (seen.has(k)) continue; seen.add(k);
    totalByFn.set(k, (totalByFn.get(k) ?? 0) + us);
  }
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log('total sampled ms', (total / 1000).toFixed(0));
console.log('--- self');
for (const [k, us] of [...selfByFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((us / 1000).toFixed(1).padStart(8), k);
console.log('--- total');
for (const [k, us] of [...totalByFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((us / 1000).toFixed(1).padStart(8), k);
