import type { DataSource } from 'typeorm';
import { createPiiCipher, generatePiiKeys, nationalIdCheckChar, openDatabase, type Role } from '@huanjie/platform';
import { errorCodes, graphqlPost, startServiceUnderTest, testDatabaseUrl, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { createOrgTree } from './org-tree.fixture';

const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;

let sut: ServiceUnderTest;
let dataSource: DataSource;
// 15 March 2026, noon in Shanghai; tests that need another day set it and put it back.
const NOON = new Date('2026-03-15T04:00:00Z');
let now = NOON;

const gql = async (query: string, variables: Record<string, unknown> = {}, roles: Role[] = ['ORG_ADMIN'], region?: string) =>
  graphqlPost(sut.url, { query, variables, token: await sut.token(roles, region) });
const count = async (table: string) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const counts = () => Promise.all(['person', 'outbox', 'audit_log'].map(count));

const PERSON_FIELDS = `id name gender birthDate age ethnicity education collegeOrAbove politicalStatus partyJoinedOn
  professionalBackgrounds sourceTags idNumberMasked phoneMasked reserve reserveSince reserveOrgUnit { code }`;
const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { ${PERSON_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { ${PERSON_FIELDS} } }`;
const IDENTITY = `query($id: ID!) { personIdentity(id: $id) { idNumber phone person { name phoneMasked } } }`;

const units: Record<string, string> = {};
let serial = 0;
/** A fresh valid ID number for someone born on `birth` (yyyymmdd) in Wuhou; odd sequence = male. */
const newId = (birth = '19900615', male = false) =>
  validId(`510107${birth}${(100 + 2 * serial++ + (male ? 1 : 0)).toString().padStart(3, '0')}`);
const person = (over: Record<string, unknown> = {}) => ({
  orgUnitId: units['510107018003'],
  name: '杨丽',
  idNumber: newId(),
  ethnicity: '汉族',
  education: 'BACHELOR',
  politicalStatus: 'PARTY_MEMBER',
  partyJoinedOn: '2015-07-01',
  ...over,
});
async function register(over: Record<string, unknown> = {}) {
  const res = await gql(REGISTER, { input: person(over) });
  expect(res.errors).toBeUndefined();
  return res.data!.registerPerson as Record<string, unknown> & { id: string };
}

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'personnel_profile',
    migrations,
    create: (deps) => createServer({ ...deps, pii: createPiiCipher(generatePiiKeys()), clock: () => now }),
  });
  ({ dataSource } = sut);
  Object.assign(units, await createOrgTree(sut, (u) => !u.code.startsWith('510184') && u.code !== '510107018005'));
});

afterAll(async () => {
  await sut?.stop();
});

describe('the profile', () => {
  it('records ethnicity, education, Party date, backgrounds, tags, reserve pool and phone, and derives age and college', async () => {
    const idNumber = newId('19900615');
    const p = await register({
      idNumber,
      gender: 'FEMALE',
      birthDate: '1990-06-15',
      ethnicity: '彝族',
      education: 'COLLEGE',
      professionalBackgrounds: ['RURAL_TOURISM', 'E_COMMERCE'],
      sourceTags: ['RETURNING_GRADUATE'],
      reserve: true,
      reserveSince: '2021-03-01',
      reserveOrgUnitId: units['510107018000'],
      phone: '138 0013 1234',
    });
    expect(p).toMatchObject({
      gender: 'FEMALE',
      birthDate: '1990-06-15',
      age: 35,
      ethnicity: '彝族',
      education: 'COLLEGE',
      collegeOrAbove: true,
      partyJoinedOn: '2015-07-01',
      professionalBackgrounds: ['RURAL_TOURISM', 'E_COMMERCE'],
      sourceTags: ['RETURNING_GRADUATE'],
      reserve: true,
      reserveSince: '2021-03-01',
      reserveOrgUnit: { code: '510107018000' },
      idNumberMasked: `5101**********${idNumber.slice(-4)}`,
      phoneMasked: '138****1234',
    });
    const [row] = await dataSource.query(`SELECT id_number_cipher, phone_cipher FROM person WHERE id = $1`, [p.id]);
    expect(row.phone_cipher).not.toContain('13800131234');
    // Neither the audit record nor the event holds the phone or the ID number, nor any part of the middle.
    const [audit] = await dataSource.query(`SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'registerPerson'`, [p.id]);
    expect(audit.after).toMatchObject({ phoneMasked: '138****1234', idNumberMasked: p.idNumberMasked });
    const [event] = await dataSource.query(`SELECT payload FROM outbox WHERE subject = $1`, [p.id]);
    expect(event.payload).toMatchObject({
      ethnicity: '彝族',
      collegeOrAbove: true,
      partyJoinedOn: '2015-07-01',
      professionalBackgrounds: ['RURAL_TOURISM', 'E_COMMERCE'],
      sourceTags: ['RETURNING_GRADUATE'],
      reserveSince: '2021-03-01',
      reserveOrgUnitId: units['510107018000'],
    });
    for (const stored of [JSON.stringify(audit.after), JSON.stringify(event.payload)]) {
      expect(stored).not.toContain('0013');
      expect(stored).not.toContain(idNumber.slice(4, 14));
    }
    expect(JSON.stringify(event.payload)).not.toMatch(/phone|idNumber/i);
  });

  it('lists the 56 ethnic groups', async () => {
    const res = await gql(`{ ethnicities }`);
    const names = res.data!.ethnicities as string[];
    expect(names).toHaveLength(56);
    expect(names.slice(0, 3)).toEqual(['汉族', '蒙古族', '回族']);
  });

  it('derives age from the injected clock, turning over at midnight in Shanghai, not in UTC', async () => {
    const p = await register({ idNumber: newId('19900615'), name: '生日' });
    const ageAt = async (instant: string) => {
      now = new Date(instant);
      try {
        const res = await gql(`query($id: ID!) { person(id: $id) { age } }`, { id: p.id });
        return (res.data!.person as { age: number }).age;
      } finally {
        now = NOON;
      }
    };
    expect(await ageAt('2026-06-14T15:59:59Z')).toBe(35); // 23:59:59 on 14 June in Shanghai
    expect(await ageAt('2026-06-14T16:00:00Z')).toBe(36); // 00:00 on 15 June in Shanghai, still the 14th in UTC
  });
});

describe('validation', () => {
  // Each case breaks one rule; the registration must name it and leave no row, event or audit record.
  const cases: [rule: string, over: Record<string, unknown>][] = [
    ['PERSON.ORG_UNIT_KIND', { orgUnitId: 'unit:510107018000' }],
    ['PERSON.NAME', { name: '  ' }],
    ['PERSON.ID_NUMBER_FORMAT', { idNumber: '51010719900615' }],
    ['PERSON.BIRTH_DATE_MATCHES_ID_NUMBER', { idNumber: validId('51010719900615122'), birthDate: '1990-06-16' }],
    ['PERSON.GENDER_MATCHES_ID_NUMBER', { idNumber: validId('51010719900615122'), gender: 'MALE' }],
    ['PERSON.ETHNICITY', { ethnicity: '汉' }],
    ['PERSON.PARTY_JOINED_ON_REQUIRED', { partyJoinedOn: null }],
    ['PERSON.PARTY_JOINED_ON_MEMBERS_ONLY', { politicalStatus: 'MASSES' }],
    ['PERSON.PARTY_JOINED_ON_FORMAT', { partyJoinedOn: '2015-7-1' }],
    ['PERSON.PARTY_JOINED_ON_NOT_FUTURE', { partyJoinedOn: '2026-03-16' }],
    ['PERSON.PARTY_JOINED_ON_ADULT', { partyJoinedOn: '2008-06-14' }],
    ['PERSON.RESERVE_SINCE_REQUIRED', { reserve: true }],
    ['PERSON.RESERVE_FIELDS_FOR_RESERVES_ONLY', { reserveSince: '2021-03-01' }],
    ['PERSON.RESERVE_SINCE_FORMAT', { reserve: true, reserveSince: 'March 2021' }],
    ['PERSON.RESERVE_SINCE_NOT_FUTURE', { reserve: true, reserveSince: '2026-04-01' }],
    ['PERSON.RESERVE_SINCE_ADULT', { reserve: true, reserveSince: '2001-01-01' }],
    ['PERSON.RESERVE_ORG_UNIT_KIND', { reserve: true, reserveSince: '2021-03-01', reserveOrgUnitId: 'unit:510107000000' }],
    ['PERSON.PHONE_FORMAT', { phone: '1380013123' }],
  ];

  it.each(cases)('refuses a registration breaking %s with BAD_USER_INPUT and writes nothing', async (rule, over) => {
    const resolved = Object.fromEntries(
      Object.entries(over).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('unit:') ? units[v.slice(5)] : v]),
    );
    const before = await counts();
    const res = await gql(REGISTER, { input: person(resolved) });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.rule).toBe(rule);
    expect(res.errors![0]!.message).not.toContain('1380013123');
    expect(await counts()).toEqual(before);
  });

  it('names both rules when gender and birth date both disagree with the ID number', async () => {
    const res = await gql(REGISTER, { input: person({ idNumber: validId('51010719900615122'), gender: 'MALE', birthDate: '1990-01-01' }) });
    expect(res.errors![0]!.extensions!.details).toEqual({
      rules: ['PERSON.BIRTH_DATE_MATCHES_ID_NUMBER', 'PERSON.GENDER_MATCHES_ID_NUMBER'],
    });
  });

  it('refuses a reserve pool outside the caller’s scope as NOT_FOUND and writes nothing', async () => {
    const before = await counts();
    const res = await gql(
      REGISTER,
      { input: person({ reserve: true, reserveSince: '2021-03-01', reserveOrgUnitId: units['510108004002'] }) },
      ['ORG_ADMIN'],
      '510107000000',
    );
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.extensions!.rule).toBe('PERSON.RESERVE_ORG_UNIT_EXISTS');
    expect(await counts()).toEqual(before);
  });

  it('refuses an update breaking a rule with BAD_USER_INPUT and leaves the record as it was', async () => {
    const p = await register({ politicalStatus: 'MASSES', partyJoinedOn: null, name: '不变' });
    const before = await counts();
    const [rowBefore] = await dataSource.query(`SELECT * FROM person WHERE id = $1`, [p.id]);
    for (const [rule, input] of [
      ['PERSON.PARTY_JOINED_ON_REQUIRED', { politicalStatus: 'PARTY_MEMBER' }],
      ['PERSON.PARTY_JOINED_ON_MEMBERS_ONLY', { partyJoinedOn: '2015-07-01' }],
      ['PERSON.ETHNICITY', { ethnicity: 'X' }],
      ['PERSON.PHONE_FORMAT', { phone: '110' }],
      ['PERSON.RESERVE_SINCE_REQUIRED', { reserve: true }],
      ['PERSON.NO_CHANGE', { name: '不变', education: 'BACHELOR' }],
    ] as const) {
      const res = await gql(UPDATE, { id: p.id, input });
      expect([rule, errorCodes(res), res.errors![0]!.extensions!.rule]).toEqual([rule, ['BAD_USER_INPUT'], rule]);
    }
    expect(await counts()).toEqual(before);
    const [rowAfter] = await dataSource.query(`SELECT * FROM person WHERE id = $1`, [p.id]);
    expect(rowAfter).toEqual(rowBefore);
  });
});

describe('updating the profile', () => {
  it('changes phone, Party status and date, reserve pool and sets, and publishes only the field names', async () => {
    const p = await register({ politicalStatus: 'LEAGUE_MEMBER', partyJoinedOn: null, name: '张宇' });
    const res = await gql(UPDATE, {
      id: p.id,
      input: {
        phone: '13912345678',
        politicalStatus: 'PROBATIONARY_MEMBER',
        partyJoinedOn: '2025-12-01',
        reserve: true,
        reserveSince: '2026-01-05',
        sourceTags: ['VETERAN', 'GRID_WORKER'],
        education: 'MASTER',
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updatePerson).toMatchObject({
      phoneMasked: '139****5678',
      politicalStatus: 'PROBATIONARY_MEMBER',
      partyJoinedOn: '2025-12-01',
      reserve: true,
      reserveSince: '2026-01-05',
      reserveOrgUnit: { code: '510107018003' },
      sourceTags: ['VETERAN', 'GRID_WORKER'],
      education: 'MASTER',
    });
    const [event] = await dataSource.query(`SELECT payload FROM outbox WHERE subject = $1 AND type LIKE '%PersonUpdated'`, [p.id]);
    expect(event.payload.changedFields.sort()).toEqual(
      ['education', 'politicalStatus', 'partyJoinedOn', 'sourceTags', 'reserve', 'reserveSince', 'reserveOrgUnitId', 'phone'].sort(),
    );
    expect(JSON.stringify(event.payload)).not.toContain('13912345678');
    const [audit] = await dataSource.query(`SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = 'updatePerson'`, [p.id]);
    expect(audit.before.phoneMasked).toBeNull();
    expect(audit.after.phoneMasked).toBe('139****5678');
    expect(JSON.stringify(audit)).not.toContain('13912345678');

    // Leaving the Party and the reserve pool clears their dates; an explicit null removes the phone.
    const back = await gql(UPDATE, { id: p.id, input: { politicalStatus: 'MASSES', reserve: false, phone: null } });
    expect(back.data!.updatePerson).toMatchObject({
      partyJoinedOn: null,
      reserve: false,
      reserveSince: null,
      reserveOrgUnit: null,
      phoneMasked: null,
    });
    const [row] = await dataSource.query(`SELECT phone_cipher FROM person WHERE id = $1`, [p.id]);
    expect(row.phone_cipher).toBeNull();
  });
});

describe('personIdentity', () => {
  let id: string;
  let idNumber: string;
  const readings = async () =>
    Number((await dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'readPersonIdentity'`))[0].n);

  beforeAll(async () => {
    idNumber = newId('19851123', true);
    id = (await register({ idNumber, name: '李明华', phone: '13800138000' })).id;
  });

  it('gives the organisation department the full ID number and phone, and records the reading without them', async () => {
    const before = await readings();
    const res = await gql(IDENTITY, { id }, ['ORG_ADMIN'], '510107000000');
    expect(res.errors).toBeUndefined();
    expect(res.data!.personIdentity).toEqual({ idNumber, phone: '13800138000', person: { name: '李明华', phoneMasked: '138****8000' } });
    expect(await readings()).toBe(before + 1);
    const [audit] = await dataSource.query(
      `SELECT actor, at, region_path, before, after FROM audit_log WHERE action = 'readPersonIdentity' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [id],
    );
    expect(audit).toMatchObject({ actor: 'ORG_ADMIN@510107000000', region_path: '51.5101.510107.510107018.510107018003', before: null });
    expect(audit.after).toEqual({ disclosed: ['idNumber', 'phone'] });
    expect(audit.at).toBeInstanceOf(Date);
    expect(JSON.stringify(audit)).not.toContain(idNumber.slice(4, 14));
    expect(JSON.stringify(audit)).not.toContain('0013');
  });

  it.each([['AUDITOR'], ['DISCIPLINE'], ['TOWN_OFFICER'], ['CIVIL_AFFAIRS']] as const)(
    'refuses %s with FORBIDDEN and records nothing',
    async (role) => {
      const before = await readings();
      const res = await gql(IDENTITY, { id }, [role]);
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.personIdentity ?? null).toBeNull();
      expect(JSON.stringify(res)).not.toContain(idNumber);
      expect(await readings()).toBe(before);
    },
  );

  it('answers null for a person outside the caller’s scope, or no person at all, and records nothing', async () => {
    const before = await readings();
    const outside = await gql(IDENTITY, { id }, ['ORG_ADMIN'], '510108000000');
    expect(outside.errors).toBeUndefined();
    expect(outside.data!.personIdentity).toBeNull();
    const missing = await gql(IDENTITY, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.data!.personIdentity).toBeNull();
    expect(await readings()).toBe(before);
  });
});

describe('migration 1700000001100', () => {
  it('narrows stored masks to the first four and last four and maps 研究生 to 硕士', async () => {
    const url = await testDatabaseUrl('personnel_migration');
    const upTo1000 = migrations.slice(
      0,
      migrations.findIndex((m) => m.name.startsWith('PersonProfile')),
    );
    const old = await openDatabase({ url, entities: [], migrations: upTo1000 });
    await old.query(
      `INSERT INTO org_unit (id, code, name, kind, region_path, depth) VALUES ($1, '510107018003', '七里社区', 'COMMUNITY', '51.5101.510107.510107018.510107018003', 5)`,
      [units['510107018003']],
    );
    await old.query(
      `INSERT INTO person (id, org_unit_id, region_path, name, gender, birth_date, education, political_status, id_number_cipher, id_number_index, id_number_masked)
       VALUES (gen_random_uuid(), $1, '51.5101.510107.510107018.510107018003', '刘芳', 'FEMALE', '1982-07-17', 'POSTGRADUATE', 'PARTY_MEMBER', 'v1:x', repeat('a', 64), '510107********0021')`,
      [units['510107018003']],
    );
    await old.destroy();
    const migrated = await openDatabase({ url, entities: [], migrations });
    try {
      const [row] = await migrated.query(`SELECT education, id_number_masked, ethnicity, professional_backgrounds FROM person`);
      expect(row).toEqual({ education: 'MASTER', id_number_masked: '5101**********0021', ethnicity: null, professional_backgrounds: [] });
    } finally {
      await migrated.destroy();
    }
  });
});
