/**
 * Realistic, varied and reproducible file names for the tracker benchmark. File number `n` always gets the same
 * name, id, size and type, in any process, so load workers can build registrations and the runner can build queries
 * without passing a million names around.
 *
 * Words are drawn with a Zipf-like (log-uniform rank) law from lists ordered by popularity, plus a long tail of
 * made-up names (artists, people, projects), so some words are in a tenth of all names and most in a handful.
 */
import { createHash } from 'node:crypto';

/** A deterministic pseudo-random source (mulberry32). */
export type Random = () => number;

/** mulberry32: small, fast, good enough to spread benchmark data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rank in [0, size) with P(rank) roughly proportional to 1 / (rank + 1): popular ranks first. */
export function zipfRank(random: Random, size: number): number {
  return Math.min(size - 1, Math.floor(Math.exp(random() * Math.log(size + 1))) - 1);
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[zipfRank(random, list.length)] as T;
}

function uniform<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

// Lists are ordered roughly by how often people use the words in file names: the first ones are drawn most.
const TOPICS = (
  'photos pictures family holiday beach summer trip vacation birthday wedding party christmas kids dog cat garden ' +
  'house mountain hiking snow winter spring autumn lake river sunset city night friends school graduation concert ' +
  'festival camping road football soccer baseball baby mom dad grandma grandpa new year easter halloween museum zoo ' +
  'park ski island harbor boat bike marathon picnic dinner lunch breakfast kitchen renovation car moving office ' +
  'team conference workshop meetup launch demo interview portrait landscape macro flowers birds wildlife forest ' +
  'desert canyon volcano waterfall castle cathedral market street bridge tower skyline aerial drone underwater'
).split(' ');

const PLACES = (
  'paris london rome berlin tokyo new-york barcelona lisbon amsterdam prague vienna venice florence madrid athens ' +
  'istanbul dublin edinburgh oslo stockholm copenhagen helsinki reykjavik zurich geneva munich hamburg krakow ' +
  'budapest seville porto nice lyon marseille naples milan sicily crete santorini mallorca tenerife bali bangkok ' +
  'hanoi kyoto osaka seoul sydney melbourne auckland queenstown vancouver toronto montreal chicago boston seattle ' +
  'portland denver austin miami havana cancun lima cusco rio buenos-aires santiago cape-town nairobi marrakech ' +
  'cairo dubai petra jerusalem goa kathmandu zermatt chamonix dolomites tuscany provence normandy brittany ' +
  'cornwall yosemite yellowstone patagonia iceland norway scotland ireland alps andes sahara'
).split(' ');

const TITLE_WORDS = (
  'love night day heart time life world light dream fire blue home love song rain baby girl boy moon sun star ' +
  'dance road back away good new last little old sweet wild free golden black white red broken lost young ' +
  'forever tonight morning river ocean summer winter city lights shadow angel ghost king queen story stranger ' +
  'paradise memories echoes silence thunder storm wind fever gravity kingdom empire harbor highway mirror ' +
  'diamond silver glass paper velvet neon electric midnight northern southern western hollow crimson amber ' +
  'violet emerald falling rising running hidden secret endless distant burning frozen hungry restless ' +
  'wandering lonely beautiful dangerous simple perfect strange'
).split(' ');

const DOC_TYPES = (
  'report invoice notes presentation budget contract resume cv letter proposal minutes schedule plan thesis ' +
  'draft summary manual guide receipt statement tax return application form checklist agenda spec design ' +
  'roadmap review slides handout worksheet syllabus transcript certificate lease policy quote estimate'
).split(' ');

const DOC_TOPICS = (
  'quarterly annual project marketing sales finance team client product research meeting board strategy ' +
  'hr payroll insurance mortgage school university course chemistry biology physics history math economics ' +
  'statistics engineering architecture legal medical dental travel wedding house car energy water garden'
).split(' ');

const DOC_STATES = 'final draft v2 v3 signed scan copy old new revised approved updated backup'.split(' ');

const VIDEO_TAGS = '1080p 720p 4k 2160p hdr x264 x265 web bluray remux extended directors-cut subs'.split(' ');

const SOFTWARE = (
  'setup installer driver firmware update patch tool toolkit sdk runtime plugin addon theme fonts icons ' +
  'wallpapers assets samples templates presets brushes textures models source backup export dump archive'
).split(' ');

/** Syllables for made-up names: 64^3 of them, the long tail of any real collection of names. */
const SYLLABLES = (
  'ka lo mi ra ven to sa li an el or is un da ne ri mo ta ki ba ro ze lu fi ar en os va te ni so ma be ' +
  'dor lin mar kel sen tor val bri cas del fen gal hal jor kin lor mel nor pel quin ros sul tam vin wen xan ' +
  'yor zan'
).split(' ');

/** The `rank`th made-up name (distinct for every rank below 64^3). */
function madeUpWord(rank: number): string {
  const n = SYLLABLES.length;
  let word = (SYLLABLES[rank % n] as string) + (SYLLABLES[Math.floor(rank / n) % n] as string);
  if (rank >= n * n) word += SYLLABLES[Math.floor(rank / (n * n)) % n] as string;
  return word;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A person, band or company name from the long tail (Zipf over 200,000 names). */
function madeUpName(random: Random, words: 1 | 2): string {
  const first = capitalize(madeUpWord(zipfRank(random, 200_000)));
  return words === 1 ? first : `${first} ${capitalize(madeUpWord(zipfRank(random, 200_000)))}`;
}

/** Title words: mostly common words, sometimes a made-up one. */
function title(random: Random, min: number, max: number): string {
  const words: string[] = [];
  const count = int(random, min, max);
  for (let i = 0; i < count; i++) {
    words.push(random() < 0.15 ? madeUpWord(zipfRank(random, 60_000)) : pick(random, TITLE_WORDS));
  }
  return words.map(capitalize).join(' ');
}

function date(random: Random, sep: string): string {
  return [int(random, 2008, 2025), pad(int(random, 1, 12), 2), pad(int(random, 1, 28), 2)].join(sep);
}

function clock(random: Random): string {
  return pad(int(random, 0, 23), 2) + pad(int(random, 0, 59), 2) + pad(int(random, 0, 59), 2);
}

interface Kind {
  weight: number;
  mimeType: string;
  /** Size range in bytes. */
  size: [number, number];
  make: (random: Random) => string;
}

const MB = 1024 * 1024;

const KINDS: readonly Kind[] = [
  {
    weight: 30,
    mimeType: 'image/jpeg',
    size: [0.5 * MB, 12 * MB],
    make: (r) => {
      const style = r();
      if (style < 0.25) return `IMG_${date(r, '')}_${clock(r)}.jpg`;
      if (style < 0.35) return `DSC${pad(int(r, 0, 99_999), 5)}.JPG`;
      const topic = [pick(r, TOPICS), r() < 0.5 ? pick(r, TOPICS) : ''].filter(Boolean).join(' ');
      return `${topic} ${pick(r, PLACES)} ${int(r, 2008, 2025)} ${pad(int(r, 1, 400), 3)}.jpg`;
    },
  },
  {
    weight: 20,
    mimeType: 'audio/mpeg',
    size: [2 * MB, 60 * MB],
    make: (r) => {
      const style = r();
      const ext = r() < 0.7 ? 'mp3' : r() < 0.5 ? 'flac' : 'm4a';
      if (style < 0.5) return `${madeUpName(r, r() < 0.5 ? 1 : 2)} - ${title(r, 1, 4)}.${ext}`;
      if (style < 0.8) return `${pad(int(r, 1, 18), 2)} - ${title(r, 1, 5)}.${ext}`;
      return `${madeUpName(r, 1)} - ${title(r, 1, 3)} - ${pad(int(r, 1, 18), 2)} ${title(r, 1, 4)}.${ext}`;
    },
  },
  {
    weight: 15,
    mimeType: 'video/mp4',
    size: [20 * MB, 8192 * MB],
    make: (r) => {
      const style = r();
      if (style < 0.3) return `VID_${date(r, '')}_${clock(r)}.mp4`;
      if (style < 0.6) return `${pick(r, TOPICS)} ${pick(r, PLACES)} ${int(r, 2008, 2025)}.mp4`;
      return `${title(r, 1, 4)} (${int(r, 1960, 2025)}) ${pick(r, VIDEO_TAGS)}.mkv`;
    },
  },
  {
    weight: 20,
    mimeType: 'application/pdf',
    size: [20 * 1024, 30 * MB],
    make: (r) => {
      const style = r();
      if (style < 0.2) return `invoice ${int(r, 1000, 99_999)} ${madeUpName(r, 1)}.pdf`;
      const ext = uniform(r, ['pdf', 'pdf', 'docx', 'xlsx', 'pptx', 'odt', 'txt']);
      return `${pick(r, DOC_TOPICS)} ${pick(r, DOC_TYPES)} ${int(r, 2008, 2025)} ${pick(r, DOC_STATES)}.${ext}`;
    },
  },
  {
    weight: 8,
    mimeType: 'application/zip',
    size: [100 * 1024, 4096 * MB],
    make: (r) => {
      const project = madeUpWord(zipfRank(r, 30_000));
      const version = `${int(r, 0, 9)}.${int(r, 0, 20)}.${int(r, 0, 30)}`;
      const style = r();
      if (style < 0.4) return `${project}-${version}.zip`;
      if (style < 0.7) return `${project} ${pick(r, SOFTWARE)} ${version}.exe`;
      return `${project}_${pick(r, SOFTWARE)}_${date(r, '-')}.tar.gz`;
    },
  },
  {
    weight: 7,
    mimeType: 'application/epub+zip',
    size: [200 * 1024, 20 * MB],
    make: (r) => `${madeUpName(r, 2)} - ${title(r, 1, 5)}.epub`,
  },
];

const TOTAL_WEIGHT = KINDS.reduce((sum, kind) => sum + kind.weight, 0);

/** What a peer announces for one file. */
export interface BenchFile {
  id: string;
  name: string;
  size: number;
  mimeType: string;
}

/** Ids are content hashes on the wire; here a hash of the file number stands in for the manifest. */
export function fileId(n: number): string {
  return createHash('sha256').update(`shoal-bench-file-${n}`).digest('hex');
}

/** File number `n`, always the same. */
export function benchFile(n: number): BenchFile {
  const random = seededRandom(Math.imul(n + 1, 0x9e3779b1));
  let roll = random() * TOTAL_WEIGHT;
  let kind = KINDS[0] as Kind;
  for (const candidate of KINDS) {
    kind = candidate;
    roll -= candidate.weight;
    if (roll < 0) break;
  }
  const name = kind.make(random);
  const size = Math.floor(kind.size[0] + random() * random() * (kind.size[1] - kind.size[0]));
  return { id: fileId(n), name, size, mimeType: kind.mimeType };
}

/** The same file as another peer names it: mostly the same name, sometimes a copy or a renamed download. */
export function replicaOf(n: number, random: Random): BenchFile {
  const file = benchFile(n);
  const roll = random();
  if (roll < 0.8) return file;
  const dot = file.name.lastIndexOf('.');
  const stem = dot > 0 ? file.name.slice(0, dot) : file.name;
  const ext = dot > 0 ? file.name.slice(dot) : '';
  const name = roll < 0.9 ? `${stem} (${int(random, 1, 3)})${ext}` : `${stem.toLowerCase()} copy${ext}`;
  return { ...file, name };
}
