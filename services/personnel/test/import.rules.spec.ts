import { nationalIdCheckChar, type AuthContext } from '@huanjie/platform';
import { readRow, readHeader, type ImportRow } from '../src/domain/import.columns';
import { codesNamed, planImport, settleRegisteredPeople, type ImportContext, type RegisteredUnit, type RowOutcome } from '../src/domain/import.rules';
import { ImportSchedule } from '../src/domain/import.schedule';

const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;
const HEADER = 'type,code,name,kind,orgUnitCode,idNumber,ethnicity,education,politicalStatus,partyJoinedOn,reserve,reserveSince,reserveOrgUnitCode,phone';

/** Rows from CSV-like lines (no quoting needed here), numbered from line 2 as under a header. */
function rows(...lines: string[]): ImportRow[] {
  const header = readHeader(HEADER.split(','));
  return lines.map((text, i) => readRow(header, { line: i + 2, fields: text.split(',') })!);
}
const unit = (code: string, name: string, kind: string) => `ORG_UNIT,${code},${name},${kind},,,,,,,,,,`;
const person = (unitCode: string, name: string, id: string, extra: Partial<{ education: string; reserve: string; since: string; pool: string; phone: string }> = {}) =>
  `PERSON,,${name},,${unitCode},${id},汉族,${extra.education ?? '大专'},群众,,${extra.reserve ?? ''},${extra.since ?? ''},${extra.pool ?? ''},${extra.phone ?? ''}`;

const AUTH: AuthContext = { userId: 'tester', roles: ['ORG_ADMIN'], regionCode: '510107000000', regionPath: '51.5101.510107' };
const registeredUnit = (code: string, id: string, kind: RegisteredUnit['kind'], regionPath: string): RegisteredUnit => ({ id, code, kind, region_path: regionPath });
const DISTRICT = registeredUnit('510107000000', 'district-id', 'DISTRICT', '51.5101.510107');
const TOWN = registeredUnit('510107018000', 'town-id', 'SUBDISTRICT', '51.5101.510107.510107018');
const OTHER_DISTRICT_UNIT = registeredUnit('510108004002', 'other-id', 'COMMUNITY', '51.5101.510108.510108004.510108004002');

function context(registered: RegisteredUnit[] = [DISTRICT, TOWN, OTHER_DISTRICT_UNIT]): ImportContext {
  let n = 0;
  const all = new Map(registered.map((u) => [u.code, u]));
  const visible = new Map([...all].filter(([, u]) => u.region_path.startsWith('51.5101.510107')));
  return {
    auth: AUTH,
    today: '2026-03-15',
    registered: all,
    visible,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    blindIndex: (id) => `index:${id}`,
  };
}

/** Plans, settles against registered people, and runs the schedule as if every ready group committed. */
function simulate(input: ImportRow[], ctx = context(), registeredPeople = new Map<string, string>()) {
  const plan = planImport(input, ctx);
  settleRegisteredPeople(plan, registeredPeople);
  const schedule = new ImportSchedule(plan.groups);
  const outcomes: RowOutcome[] = [...plan.settled, ...schedule.start()];
  const passes: string[][] = [];
  for (let ready = schedule.ready(); ready.length; ready = schedule.ready()) {
    passes.push(ready.map((g) => g.code));
    for (const g of ready) {
      schedule.committed(g);
      outcomes.push(...g.rows.map((r) => ({ line: r.line, type: r.type, status: 'imported' as const })));
    }
  }
  outcomes.push(...schedule.stuck());
  const byLine = Object.fromEntries(outcomes.sort((a, b) => a.line - b.line).map((o) => [o.line, o.issue ? `${o.status}:${o.issue.rule}` : o.status]));
  return { plan, passes, byLine };
}

const A = validId('51010719850923102');
const B = validId('51010719900101001');
const C = validId('51010719920202003');

describe('planning an import', () => {
  it('names every code to look up: units, every level above them, people’s units and pools', () => {
    expect(codesNamed(rows(unit('510107018003', '七里社区', 'COMMUNITY'), person('510107018005', '王秀英', A, { pool: '510107018000' }))).sort()).toEqual(
      ['510000000000', '510100000000', '510107000000', '510107018000', '510107018003', '510107018005'].sort(),
    );
  });

  it('imports a new unit with its people after the parent, whatever the order in the file', () => {
    const { byLine, passes, plan } = simulate(
      rows(
        person('510107018201', '王秀英', A),
        unit('510107018201', '金星村', '村'),
        unit('510107019000', '新街道', 'SUBDISTRICT'),
        unit('510107019001', '新社区', 'COMMUNITY'),
        person('510107019001', '张伟', B, { reserve: '是', since: '2021-04-01', pool: '510107019000' }),
      ),
    );
    expect(byLine).toEqual({ 2: 'imported', 3: 'imported', 4: 'imported', 5: 'imported', 6: 'imported' });
    expect(passes).toEqual([['510107019000', '510107018201'], ['510107019001']]);
    const village = plan.groups.find((g) => g.code === '510107018201')!;
    expect(village.rows.map((r) => r.line)).toEqual([3, 2]);
    expect(village.rows[1]!.person!.plan).toMatchObject({ gender: 'FEMALE', birthDate: '1985-09-23', education: 'COLLEGE' });
  });

  it('fails a whole unit when one of its people is wrong, naming that person’s line to the others', () => {
    const wrongChecksum = `${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'}`;
    const { byLine } = simulate(
      rows(unit('510107018003', '七里社区', 'COMMUNITY'), person('510107018003', '王秀英', A), person('510107018003', '李四', wrongChecksum), person('510107018005', '张伟', B)),
      context([TOWN, registeredUnit('510107018005', 'unit-5', 'COMMUNITY', '51.5101.510107.510107018.510107018005')]),
    );
    expect(byLine).toEqual({
      2: 'failed:IMPORT.UNIT_INCOMPLETE',
      3: 'failed:IMPORT.UNIT_INCOMPLETE',
      4: 'failed:PERSON.ID_NUMBER_CHECKSUM',
      5: 'imported',
    });
  });

  it('fails the children of a unit that failed, and the people whose reserve pool it was', () => {
    const { byLine } = simulate(
      rows(
        unit('510107019000', '新街道', 'VILLAGE'), // wrong kind for a township code
        unit('510107019001', '新社区', 'COMMUNITY'),
        person('510107018201', '王秀英', A, { reserve: 'true', since: '2021-04-01', pool: '510107019000' }),
        unit('510107018201', '金星村', 'VILLAGE'),
      ),
    );
    expect(byLine).toEqual({
      2: 'failed:ORG_UNIT.KIND_MATCHES_CODE',
      3: 'failed:ORG_UNIT.PARENT_EXISTS',
      4: 'failed:PERSON.RESERVE_ORG_UNIT_EXISTS',
      5: 'failed:IMPORT.UNIT_INCOMPLETE',
    });
  });

  it('skips units and people already registered, so a second run changes nothing', () => {
    const registered = [TOWN, registeredUnit('510107018003', 'unit-3', 'COMMUNITY', '51.5101.510107.510107018.510107018003')];
    const { byLine, plan } = simulate(
      rows(unit('510107018003', '七里社区', 'COMMUNITY'), person('510107018003', '王秀英', A), person('510107018003', '张伟', B)),
      context(registered),
      new Map([
        [`index:${A}`, 'unit-3'],
        [`index:${B}`, 'other-unit'],
      ]),
    );
    expect(byLine).toEqual({ 2: 'skipped:ORG_UNIT.CODE_UNIQUE', 3: 'skipped:PERSON.ID_NUMBER_UNIQUE', 4: 'skipped:PERSON.ID_NUMBER_UNIQUE' });
    expect(plan.groups).toEqual([]);
    expect(plan.settled.map((o) => o.issue!.message)).toEqual([
      expect.stringContaining('already registered'),
      expect.stringContaining('in this org unit'),
      expect.stringContaining('in another org unit'),
    ]);
  });

  it('treats a second row with the same ID number as an error of its unit, without quoting the number', () => {
    const { byLine, plan } = simulate(rows(unit('510107018003', '七里社区', 'COMMUNITY'), person('510107018003', '王秀英', A), person('510107018003', '王秀英', A)));
    expect(byLine[4]).toBe('failed:PERSON.ID_NUMBER_UNIQUE');
    expect(byLine[2]).toBe('failed:IMPORT.UNIT_INCOMPLETE');
    expect(plan.groups[0]!.rows.find((r) => r.line === 4)!.issue!.message).toBe('the same national ID number is on line 3');
  });

  it('refuses units outside the caller’s region, and people of units they cannot see', () => {
    const { byLine } = simulate(rows(unit('510108004005', '外区社区', 'COMMUNITY'), person('510108004002', '王秀英', A), person('510199001001', '张伟', B)));
    expect(byLine).toEqual({ 2: 'failed:AUTH.REGION_SCOPE', 3: 'failed:ORG_UNIT.EXISTS', 4: 'failed:ORG_UNIT.EXISTS' });
  });

  it('applies registerPerson’s rules to each row: enum values in English or Chinese, reserve and phone checks', () => {
    const { byLine } = simulate(
      rows(
        unit('510107018003', '七里社区', 'COMMUNITY'),
        person('510107018003', '王秀英', A, { education: '本科', phone: '138 1234 5678' }),
        unit('510107018005', '锦城社区', 'COMMUNITY'),
        person('510107018005', '张伟', B, { education: 'PhD' }),
        unit('510107018006', '新社区', 'COMMUNITY'),
        person('510107018006', '李娜', C, { reserve: 'true' }),
        unit('510107018007', '又一社区', 'COMMUNITY'),
        person('510107018007', '赵强', validId('51010719700101005'), { phone: '12345' }),
      ),
    );
    expect(byLine).toMatchObject({
      2: 'imported',
      3: 'imported',
      5: 'failed:IMPORT.ENUM_VALUE',
      7: 'failed:PERSON.RESERVE_SINCE_REQUIRED',
      9: 'failed:PERSON.PHONE_FORMAT',
    });
  });

  it('lets a row of unreadable type or field count hold back the unit it names', () => {
    const { byLine } = simulate(rows(unit('510107018003', '七里社区', 'COMMUNITY'), 'HUMAN,,王秀英,,510107018003,x,,,,,,,,', 'PERSON,,张伟'));
    expect(byLine).toEqual({ 2: 'failed:IMPORT.UNIT_INCOMPLETE', 3: 'failed:IMPORT.TYPE', 4: 'failed:IMPORT.FIELD_COUNT' });
  });

  it('fails units whose reserve pools wait on each other', () => {
    const { byLine } = simulate(
      rows(
        unit('510107018003', '七里社区', 'COMMUNITY'),
        person('510107018003', '王秀英', A, { reserve: '1', since: '2021-04-01', pool: '510107018005' }),
        unit('510107018005', '锦城社区', 'COMMUNITY'),
        person('510107018005', '张伟', B, { reserve: '1', since: '2021-04-01', pool: '510107018003' }),
      ),
    );
    expect(Object.values(byLine).every((o) => o.startsWith('failed:'))).toBe(true);
    expect(Object.values(byLine)).toContain('failed:IMPORT.DEPENDENCY_CYCLE');
  });
});
