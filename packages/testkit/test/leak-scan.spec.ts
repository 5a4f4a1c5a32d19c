import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { CAPTURE_DIR_VAR, maskMobilePhone, maskNationalId, nationalIdCheckChar, parseNationalId } from '@huanjie/platform';
import { recordRequestBody, recordResponseText } from '../src/capture';
import {
  LeakScanner,
  blankHex,
  findMobilePhones,
  findNationalIds,
  isPlausibleNationalId,
  numbersInText,
  sensitiveValuesOf,
  type SensitiveValue,
} from '../src/leak-scan';
import { runLeakScan } from '../src/leak-scan-run';
import { createTopicsAndWait, testKafkaBrokers, uniqueTopicPrefix } from '../src';

const id = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;
const ID = id('11010519491231002'); // 11010519491231002X
const ID2 = id('51010719800615001'); // 510107198006150015
const PHONE = '13912345678';
const NAME = '赵秘密';
const TODAY = new Date('2026-06-01T00:00:00Z');

const scannerWith = (values: SensitiveValue[] = []) => new LeakScanner(values, { today: TODAY });
const kinds = (scanner: LeakScanner, text: string, source: 'log' | 'error' | 'kafka' = 'log') => scanner.scan(source, 'here', text).map((l) => l.kind);

describe('the patterns', () => {
  it('knows a national ID number by province, birth date and check character', () => {
    expect(ID).toBe('11010519491231002X');
    expect(isPlausibleNationalId(ID, TODAY)).toBe(true);
    expect(isPlausibleNationalId(ID.toLowerCase(), TODAY)).toBe(true);
    expect(isPlausibleNationalId('110105194912310021', TODAY)).toBe(false); // check character
    expect(isPlausibleNationalId(id('11010519491331002'), TODAY)).toBe(false); // month 13
    expect(isPlausibleNationalId(id('11010518991231002'), TODAY)).toBe(false); // born 1899
    expect(isPlausibleNationalId(id('11010520991231002'), TODAY)).toBe(false); // born in the future
    expect(isPlausibleNationalId(id('99010519491231002'), TODAY)).toBe(false); // no province 99
    // Agrees with the platform's validation on what the platform accepts.
    for (const first17 of ['51010719800615001', '44030419900307123', '33010219851225456']) {
      expect(() => parseNationalId(id(first17))).not.toThrow();
      expect(isPlausibleNationalId(id(first17), TODAY)).toBe(true);
    }
  });

  it('finds ID numbers and mobile numbers in the shapes people write them', () => {
    expect(findNationalIds(`{"msg":"duplicate ${ID}"}`, TODAY)).toEqual([ID]);
    expect(findNationalIds(`身份证号${ID2}已登记`, TODAY)).toEqual([ID2]);
    expect(findNationalIds(`x=${ID.toLowerCase()};`, TODAY)).toEqual([ID]);
    expect(findMobilePhones(`{"contact":"${PHONE}"}`)).toEqual([PHONE]);
    expect(findMobilePhones('电话:139 1234 5678')).toEqual([PHONE]);
    expect(findMobilePhones('tel 139-1234-5678.')).toEqual([PHONE]);
    expect(findMobilePhones('+86 13912345678')).toEqual([PHONE]);
    expect(findMobilePhones('+8613912345678')).toEqual([PHONE]);
    expect(findMobilePhones('phone13912345678')).toEqual([PHONE]);
  });

  it('does not flag uuids, digests, trace ids, timestamps, region codes or masked values', () => {
    const harmless = [
      '3f1b2c4d-0000-4000-8000-a13912345678', // a uuid whose last group holds 11 digits
      `ab${ID2}cd${'0'.repeat(40)}`, // a sha256-like hex run with an ID-shaped stretch inside
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '2026-03-02T02:00:00.000Z',
      '1772416800000', // epoch milliseconds
      '1772416800', // epoch seconds
      '510107018003',
      '51.5101.510107.510107018.510107018003',
      maskNationalId(ID),
      maskMobilePhone(PHONE),
      '1101**********002X',
      '139****5678',
      '110105194912310021', // fails the check character
      '12345678901234567890', // 20 digits
      '139123456789', // 12 digits
      '0.13912345678123',
    ];
    const scanner = scannerWith();
    for (const text of harmless) expect([text, kinds(scanner, text)]).toEqual([text, []]);
    expect(blankHex('a 3f1b2c4d-0000-4000-8000-a13912345678 b')).toBe(`a ${' '.repeat(36)} b`);
    expect(blankHex(ID2)).toBe(ID2); // digits only: may be an ID number, kept
  });
});

describe('LeakScanner', () => {
  const sent: SensitiveValue[] = [
    { kind: 'name', value: NAME },
    { kind: 'contact', value: '武侯区簇桥街道七里社区3组' },
    { kind: 'id-number', value: '51010719900101123A'.replace('A', '9') }, // fails the check: only the exact value finds it
    { kind: 'phone', value: '+86 139-0000-1111' },
  ];

  it('finds planted ID numbers, phones and names in log lines', () => {
    const scanner = scannerWith(sent);
    const line = JSON.stringify({ level: 'info', service: 'complaints', msg: `complaint received from ${NAME}`, contact: PHONE, id: ID });
    expect(kinds(scanner, line).sort()).toEqual(['mobile-phone', 'name', 'national-id']);
  });

  it('finds them in Kafka keys, values and headers', () => {
    const scanner = scannerWith(sent);
    expect(kinds(scanner, JSON.stringify({ personId: 'x', idNumber: ID2 }), 'kafka')).toEqual(['national-id']);
    expect(kinds(scanner, `complainant=${NAME}`, 'kafka')).toEqual(['name']); // a header
    expect(kinds(scanner, PHONE, 'kafka')).toEqual(['mobile-phone']); // a key
    expect(kinds(scanner, 'handler failed: 13900001111 not found', 'kafka')).toEqual(['mobile-phone']); // a DLQ reason
  });

  it('finds them in error messages, also JSON-escaped or URL-encoded, and the exact values the tests sent', () => {
    const scanner = scannerWith(sent);
    expect(kinds(scanner, JSON.stringify({ message: 'ID number 510107199001011239 fails the check character' }), 'error')).toEqual(['id-number']);
    expect(kinds(scanner, '{"message":"\\u8d75\\u79d8\\u5bc6 is not allowed"}', 'error')).toEqual(['name']);
    expect(kinds(scanner, `GET /x?q=${encodeURIComponent(NAME)}`, 'error')).toEqual(['name']);
    expect(kinds(scanner, 'contact 武侯区簇桥街道七里社区3组 refused', 'error')).toEqual(['contact']);
    expect(kinds(scanner, 'call 139 0000 1111', 'error')).toEqual(['mobile-phone']);
    expect(scanner.valueCounts()).toEqual({ name: 1, contact: 1, 'id-number': 1, phone: 1 });
  });

  it('reports each value once per place, masked, and counts what it scanned', () => {
    const scanner = scannerWith(sent);
    const leaks = scanner.scan('log', 'log-1.ndjson:7', `${ID} ${ID} ${NAME}`);
    expect(leaks).toHaveLength(2);
    expect(leaks[0]).toMatchObject({ source: 'log', where: 'log-1.ndjson:7', kind: 'national-id', value: '1101**********002X' });
    expect(JSON.stringify(scanner.leaks)).not.toContain(ID);
    expect(JSON.stringify(scanner.leaks)).not.toContain(NAME);
    scanner.scan('kafka', 't/0@1 value', 'nothing here');
    expect(scanner.leakCount).toBe(2);
    expect(scanner.scanned.log.items).toBe(1);
    expect(scanner.scanned.kafka).toEqual({ items: 1, bytes: 12 });
  });
});

describe('what the tests sent', () => {
  it('takes ID numbers, phones and complainants from variables, and ignores other names', () => {
    const body = {
      query: 'mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id } }',
      variables: {
        input: { summary: '选民登记不规范', complainant: { name: ` ${NAME} `, contact: PHONE }, subject: { name: '王五' } },
        person: { name: '李四', idNumber: ` ${ID.toLowerCase()} `, phone: '139-0000-1111' },
        other: { idNumber: '12', complainant: { name: 'x' } },
      },
    };
    expect(sensitiveValuesOf(body)).toEqual([
      { kind: 'name', value: NAME },
      { kind: 'phone', value: PHONE },
      { kind: 'id-number', value: ID },
      { kind: 'phone', value: '13900001111' },
    ]);
  });

  it('takes every ID-number- and phone-shaped number from a CSV', () => {
    expect(numbersInText(`line,name,idNumber,phone\n1,王五,${ID2},${PHONE}\n2,陈六,51010719900101123,\n`)).toEqual([
      { kind: 'id-number', value: ID2 },
      { kind: 'id-number', value: '51010719900101123' },
      { kind: 'phone', value: PHONE },
    ]);
  });
});

describe('the run-level scan', () => {
  let dir: string;
  const saved = process.env[CAPTURE_DIR_VAR];
  beforeEach(() => {
    // A capture directory of the test's own, so what it plants never reaches the run's scan.
    dir = mkdtempSync(join(tmpdir(), 'huanjie-leak-scan-test-'));
    process.env[CAPTURE_DIR_VAR] = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[CAPTURE_DIR_VAR];
    else process.env[CAPTURE_DIR_VAR] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('records what a request sends and the errors it is answered, and finds them in capture files', async () => {
    recordRequestBody(JSON.stringify({ query: `mutation { receiveComplaint(input: { complainant: { name: "钱机密" } }) { id } }` }));
    recordResponseText(200, 'application/json', JSON.stringify({ errors: [{ message: '钱机密 may not complain twice' }] }), 'http://x/graphql');
    recordResponseText(200, 'application/x-ndjson', `${JSON.stringify({ type: 'progress', done: 1 })}\n${JSON.stringify({ type: 'error', line: 2, message: `bad ${ID2}` })}\n`, 'http://x/import');
    writeFileSync(join(dir, 'log-1.ndjson'), `${JSON.stringify({ msg: 'fine' })}\n${JSON.stringify({ msg: `phone ${PHONE}` })}\n`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([expect.stringMatching(/^errors-\d+\.ndjson$/), 'log-1.ndjson', expect.stringMatching(/^sensitive-\d+\.ndjson$/)]);
    expect(readFileSync(join(dir, files[0]!), 'utf8').trim().split('\n')).toHaveLength(2); // the progress line is not an error

    const report = await runLeakScan({ dir });
    expect(report).toMatchObject({ logs: { files: 1, lines: 2 }, errors: { files: 1, records: 2 }, values: { name: 1 }, leaks: 3 });
    expect(report.findings.map((l) => [l.source, l.kind]).sort()).toEqual([
      ['error', 'name'],
      ['error', 'national-id'],
      ['log', 'mobile-phone'],
    ]);
  });

  it('reads every message of the broker’s topics: keys, values and headers', async () => {
    // A name known to this scan only (the run's own scan does not search for it), so the message
    // left on the run's broker fails nothing.
    writeFileSync(join(dir, 'sensitive-1.ndjson'), `${JSON.stringify({ kind: 'name', value: '孙保密' })}\n`);
    const brokers = testKafkaBrokers();
    const kafka = new Kafka({ clientId: 'leak-scan-spec', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const topic = `${uniqueTopicPrefix()}leak-scan`;
    const admin = kafka.admin();
    const producer = kafka.producer();
    await admin.connect();
    try {
      await createTopicsAndWait(admin, [{ topic, numPartitions: 2 }]);
      await producer.connect();
      await producer.send({
        topic,
        messages: [
          { key: 'a', value: '{"ok":true}' },
          { key: 'b', value: '{"ok":true}', headers: { ce_subject: '孙保密' } },
          { key: '孙保密', value: null },
          { key: 'c', value: '{"who":"孙保密"}' },
        ],
      });
      const report = await runLeakScan({ dir, brokers, topics: (t) => t === topic });
      expect(report.kafka).toMatchObject({ topics: 1, topicsWithMessages: 1, messages: 4, expected: 4, scope: 'topics created during the run' });
      expect(report.findings.map((l) => l.where.replace(/^.*\/\d+@\d+ /, '')).sort()).toEqual(['header ce_subject', 'key', 'value']);
    } finally {
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
  }, 60_000);
});
