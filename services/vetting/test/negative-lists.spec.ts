import { ruleOf } from '@huanjie/testkit';
import { regionPathFromCode } from '@huanjie/platform';
import { DEPARTMENT_CODES, POLICIES, REVIEW_LEVELS, TEN_NOT_TO_SELECT, policyById, policyFor, requirementTable, type ReviewPolicy } from '../src/domain/negative-lists.data';

const path = (code: string) => regionPathFromCode(code);

describe('the 联审 policies as data', () => {
  it('keeps the 十不选 as SBX-01 … SBX-10 in the rulebook order', () => {
    expect(TEN_NOT_TO_SELECT.map((i) => i.code)).toEqual(['SBX-01', 'SBX-02', 'SBX-03', 'SBX-04', 'SBX-05', 'SBX-06', 'SBX-07', 'SBX-08', 'SBX-09', 'SBX-10']);
    expect(TEN_NOT_TO_SELECT.every((i) => i.kind === 'NEGATIVE')).toBe(true);
    expect(TEN_NOT_TO_SELECT[4]).toMatchObject({ code: 'SBX-05', effect: 'BARS', departments: expect.arrayContaining(['DISCIPLINE']) });
  });

  it("has Helingeer's 16 negative items and Baoshan's 6 positive and 10 negative", () => {
    const helingeer = policyById('150123000000@2020');
    expect(helingeer.items).toHaveLength(16);
    expect(helingeer.items.every((i) => i.kind === 'NEGATIVE')).toBe(true);
    const baoshan = policyById('310113000000@2021');
    expect(baoshan.items.filter((i) => i.kind === 'POSITIVE')).toHaveLength(6);
    expect(baoshan.items.filter((i) => i.kind === 'NEGATIVE')).toHaveLength(10);
    expect(baoshan.levels.map((l) => l.level)).toEqual(['TOWN_FIRST_REVIEW', 'COUNTY_JOINT_REVIEW', 'CITY_RE_REVIEW']);
  });

  it.each(POLICIES.map((p) => [p.id, p] as [string, ReviewPolicy]))('%s is well formed', (_, p) => {
    const codes = p.items.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of TEN_NOT_TO_SELECT.map((i) => i.code)) expect(codes).toContain(code); // every region checks the 十不选
    for (const item of p.items) {
      expect(item.text.length).toBeGreaterThan(0);
      expect(item.departments.length).toBeGreaterThan(0);
      for (const d of item.departments) expect(DEPARTMENT_CODES).toContain(d);
    }
    const order = p.levels.map((l) => REVIEW_LEVELS.indexOf(l.level));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(p.levels[0]!.level).toBe('TOWN_FIRST_REVIEW');
    expect(p.levels.map((l) => l.level)).toContain(p.reopenAt);
    for (const l of p.levels) expect(l.deadlineDays).toBeGreaterThan(0);
  });

  it('picks the most specific region in force on the day, falling back to the national policy', () => {
    const village = path('150123101001'); // a village in 和林格尔县
    expect(policyFor(village, '2021-01-10').id).toBe('150123000000@2020');
    expect(policyFor(village, '2020-12-08').id).toBe('000000000000@2020'); // before the county's list was in force
    expect(policyFor(path('310113103002'), '2021-05-01').id).toBe('310113000000@2021');
    expect(policyFor(path('510107018003'), '2026-03-01').id).toBe('000000000000@2020');
    expect(policyFor('', '2026-03-01').id).toBe('000000000000@2020');
    expect(policyFor(path('150124000000'), '2021-01-10').id).toBe('000000000000@2020'); // a neighbouring county
  });

  it("takes a region's latest version and leaves earlier reviews on theirs", () => {
    const base = policyById('150123000000@2020');
    const table: ReviewPolicy[] = [...POLICIES, { ...base, id: '150123000000@2026', version: '2026', effectiveFrom: '2026-01-01' }];
    expect(policyFor(path('150123101001'), '2025-12-31', table).id).toBe('150123000000@2020');
    expect(policyFor(path('150123101001'), '2026-01-01', table).id).toBe('150123000000@2026');
  });

  it('refuses a day that is not a date', () => {
    expect(ruleOf(() => policyFor('', '2026-02-30'))).toBe('BAD_USER_INPUT:POLICY.DATE');
    expect(ruleOf(() => policyFor('', '2020-01-01'))).toBe('BAD_USER_INPUT:POLICY.NONE');
  });

  it('lists every department each level requires, for the SQL of the report', () => {
    const rows = requirementTable();
    expect(rows).toContainEqual({ policy_id: '000000000000@2020', level: 'COUNTY_JOINT_REVIEW', department: 'PUBLIC_SECURITY', deadline_days: 10 });
    expect(rows.filter((r) => r.policy_id === '310113000000@2021' && r.level === 'CITY_RE_REVIEW').map((r) => r.department)).toEqual(['ORGANISATION', 'DISCIPLINE']);
  });
});
