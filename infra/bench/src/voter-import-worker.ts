import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { nationalIdCheckChar, seededRandom } from '@huanjie/platform';

/**
 * The client side of scenario i, on its own thread: it generates a Baoshan-sized voter file as a
 * stream (never held whole: a chunk of rows at a time, written when the socket takes it) and POSTs
 * it to elections' /voters/import, reading the NDJSON answer as it comes. The stack keeps the main
 * thread to itself, as the service would in its own process.
 */

export interface VoterImportJob {
  url: string;
  token: string;
  voters: number;
  seed: number;
  electionDay: string;
}

export interface VoterImportJobResult {
  status: number;
  lines: number;
  bytes: number;
  /** The deliberately bad lines and the rule each must be rejected with. */
  planted: { line: number; rule: string }[];
  rejected: { line: number; rule: string; message: string }[];
  summary: Record<string, unknown> | null;
  fatal: string | null;
  sentAtMs: number;
  uploadDoneAtMs: number;
  checkingAtMs: number | null;
  committedAtMs: number | null;
  summaryAtMs: number | null;
  progress: { atMs: number; lines: number }[];
}

export type VoterWorkerMessage = { type: 'result'; result: VoterImportJobResult } | { type: 'error'; message: string } | { type: 'progress'; lines: number };

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文玉兰海燕红梅金凤春花德明永福';


const DAY_MS = 86_400_000;
const BASE = Date.UTC(1936, 0, 1);

/** Person i: a unique GB 11643 number (one of 1,000 sequence numbers per birth day, 1936 onwards, every ~20th day). */
function idOf(i: number): string {
  const birth = new Date(BASE + Math.floor(i / 1000) * 19 * DAY_MS).toISOString();
  const first17 = `310113${birth.slice(0, 4)}${birth.slice(5, 7)}${birth.slice(8, 10)}${String(i % 1000).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
}

/** People of the bad lines who are not in the good ones: another county code, all born 1990. */
function extraId(k: number): string {
  const first17 = `310114${'19900101'}${String(k).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
}

/** The file, in chunks of rows: a header, `voters` good lines and a few planted bad ones. */
function* voterFile(job: VoterImportJob, planted: { line: number; rule: string }[]): Generator<string> {
  const random = seededRandom(job.seed);
  const bad = new Map<number, () => string>();
  const every = Math.max(10, Math.floor(job.voters / 9));
  // Bad lines, spread over the file: each must come back with this rule and its line.
  const kinds: [string, (i: number) => string][] = [
    ['PERSON.ID_NUMBER_CHECKSUM', (i) => `校验错${i},${idOf(i).slice(0, 17)}${idOf(i)[17] === '0' ? '1' : '0'},99组1号,户籍在本村且居住`],
    ['VOTER.AGE', () => {
      const d = job.electionDay.replace(/-/g, '');
      const first17 = `310113${Number(d.slice(0, 4)) - 17}${d.slice(4)}555`;
      return `未成年,${first17}${nationalIdCheckChar(first17)},99组2号,户籍在本村且居住`;
    }],
    ['VOTER.DUPLICATE_IN_FILE', () => `重复,${idOf(7)},99组3号,户籍在本村且居住`],
    ['VOTER.BASIS', (i) => `依据错,${extraId(i % 997)},99组4号,外来务工`],
    ['VOTER.NAME', (i) => `,${extraId((i + 1) % 997)},99组5号,户籍在本村且居住`],
    ['PERSON.ID_NUMBER_FORMAT', () => `格式错,31011319800101,99组6号,户籍在本村且居住`],
    ['VOTER.RESIDENCE_PERIOD', (i) => `新来,${extraId((i + 2) % 997)},99组7号,非户籍,${job.electionDay},${job.electionDay}`],
    ['PERSON.ID_NUMBER_CHECKSUM', (i) => `校验错,${idOf(i + 1).slice(0, 17)}${idOf(i + 1)[17] === 'X' ? '1' : 'X'},99组8号,户籍`],
    ['VOTER.DUPLICATE_IN_FILE', () => `重复二,${idOf(123_456 % job.voters)},99组9号,户籍`],
  ];
  kinds.forEach(([rule, make], k) => {
    const after = every * (k + 1) - 1;
    if (rule === 'VOTER.DUPLICATE_IN_FILE' && after < 123_456 % job.voters) return; // the original must come first
    bad.set(after, () => {
      const text = make(after);
      return text;
    });
    planted.push({ line: 0, rule });
  });
  let line = 1;
  let chunk = '姓名,身份证号,户号,登记依据,居住起始日期,同意日期\n';
  let plantedIndex = 0;
  for (let i = 0; i < job.voters; i++) {
    const surname = SURNAMES[Math.floor(random() * SURNAMES.length)]!;
    const given = GIVEN[Math.floor(random() * GIVEN.length)]! + (random() < 0.5 ? GIVEN[Math.floor(random() * GIVEN.length)]! : '');
    const household = `${1 + (Math.floor(i / 3) % 24)}组${Math.floor(i / 72) + 1}号`;
    const r = random();
    const basis = r < 0.88 ? '户籍在本村且居住' : r < 0.98 ? 'HUKOU' : 'NON_HUKOU_RESIDENT';
    const extra = basis === 'NON_HUKOU_RESIDENT' ? ',2019-03-01,2026-03-15' : ',,';
    chunk += `${surname}${given},${idOf(i)},${household},${basis}${extra}\n`;
    line++;
    const badLine = bad.get(i);
    if (badLine) {
      chunk += `${badLine()}\n`;
      line++;
      planted[plantedIndex++]!.line = line;
    }
    if ((i & 4095) === 4095) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function run(job: VoterImportJob): Promise<VoterImportJobResult> {
  const planted: { line: number; rule: string }[] = [];
  const result: VoterImportJobResult = {
    status: 0,
    lines: 0,
    bytes: 0,
    planted,
    rejected: [],
    summary: null,
    fatal: null,
    sentAtMs: performance.timeOrigin + performance.now(),
    uploadDoneAtMs: 0,
    checkingAtMs: null,
    committedAtMs: null,
    summaryAtMs: null,
    progress: [],
  };
  const now = () => performance.timeOrigin + performance.now();
  const req = request(job.url, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${job.token}`, 'transfer-encoding': 'chunked' },
  });
  req.setTimeout(900_000, () => req.destroy(new Error('no answer from /voters/import within 900 s')));
  const answered = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      result.status = res.statusCode ?? 0;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        buffer += text;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const raw = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!raw.trim() || result.status !== 200) continue;
          const line = JSON.parse(raw) as { type: string; lines?: number; phase?: string; line?: number; rule?: string; message?: string };
          if (line.type === 'progress') {
            result.progress.push({ atMs: now(), lines: line.lines! });
            parentPort!.postMessage({ type: 'progress', lines: line.lines! } satisfies VoterWorkerMessage);
          } else if (line.type === 'phase') {
            if (line.phase === 'checking') result.checkingAtMs = now();
            else result.committedAtMs = now();
          } else if (line.type === 'rejected' || line.type === 'skipped') {
            if (result.rejected.length < 1000) result.rejected.push({ line: line.line!, rule: line.rule!, message: line.message! });
          } else if (line.type === 'summary') {
            result.summary = line as unknown as Record<string, unknown>;
            result.summaryAtMs = now();
          } else if (line.type === 'fatal') result.fatal = line.message ?? raw;
        }
      });
      res.on('end', () => {
        if (result.status !== 200) result.fatal = `HTTP ${result.status}: ${buffer.slice(0, 300)}`;
        resolve();
      });
      res.on('error', reject);
    });
  });
  for (const chunk of voterFile(job, planted)) {
    result.bytes += Buffer.byteLength(chunk);
    if (!req.write(chunk)) await new Promise<void>((resolve) => req.once('drain', resolve));
  }
  req.end();
  result.uploadDoneAtMs = now();
  result.lines = job.voters + planted.length;
  await answered;
  return result;
}

parentPort!.on('message', (job: VoterImportJob) => {
  run(job).then(
    (result) => parentPort!.postMessage({ type: 'result', result } satisfies VoterWorkerMessage),
    (error: unknown) => parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies VoterWorkerMessage),
  );
});
