import { ruleOf } from '@huanjie/testkit';
import { policyById } from '../src/domain/negative-lists.data';
import {
  addDays,
  advance,
  callerDepartment,
  checkConclusion,
  checkOpinion,
  disqualifyOnFinding,
  isOverdue,
  missingDepartments,
  opinionDeadline,
  reopen,
  type OpinionFact,
  type ReviewState,
} from '../src/domain/review.rules';

const national = policyById('000000000000@2020');
const baoshan = policyById('310113000000@2021');
const county: ReviewState = { status: 'OPEN', level: 'COUNTY_JOINT_REVIEW', round: 1 };
const reviewer = (department: string) => ({ roles: ['REVIEWER'], department });
const COUNTY_DEPARTMENTS = ['DISCIPLINE', 'ORGANISATION', 'POLITICAL_LEGAL', 'PUBLIC_SECURITY', 'PROCURATORATE', 'COURT', 'PETITIONS', 'CIVIL_AFFAIRS'] as const;

let seq = 0;
const opinion = (department: OpinionFact['department'], decision: OpinionFact['decision'] = 'CLEAR', itemCodes: string[] = [], change: Partial<OpinionFact> = {}): OpinionFact => ({
  id: `op-${++seq}`,
  level: 'COUNTY_JOINT_REVIEW',
  department,
  decision,
  itemCodes,
  current: true,
  ...change,
});
const allClear = () => COUNTY_DEPARTMENTS.map((d) => opinion(d));

describe('who gives an opinion', () => {
  it("takes a department's opinion from its own reviewer only", () => {
    expect(checkOpinion(national, county, reviewer('PUBLIC_SECURITY'), { decision: 'CLEAR', itemCodes: [], note: '' })).toMatchObject({ department: 'PUBLIC_SECURITY' });
    expect(ruleOf(() => checkOpinion(national, county, reviewer('PUBLIC_SECURITY'), { department: 'DISCIPLINE', decision: 'CLEAR', itemCodes: [], note: '' }))).toBe(
      'FORBIDDEN:REVIEW.OWN_DEPARTMENT_ONLY',
    );
    expect(ruleOf(() => checkOpinion(national, county, { roles: ['ORG_ADMIN'] }, { department: 'ORGANISATION', decision: 'CLEAR', itemCodes: [], note: '' }))).toBe(
      'FORBIDDEN:REVIEW.OWN_DEPARTMENT_ONLY',
    );
    expect(ruleOf(() => checkOpinion(national, county, { roles: ['REVIEWER'] }, { decision: 'CLEAR', itemCodes: [], note: '' }))).toBe('FORBIDDEN:REVIEW.OWN_DEPARTMENT_ONLY');
  });

  it('lets a town officer speak for the township at the first review', () => {
    expect(callerDepartment({ roles: ['TOWN_OFFICER'] })).toBe('TOWNSHIP');
    const town: ReviewState = { status: 'OPEN', level: 'TOWN_FIRST_REVIEW', round: 1 };
    expect(checkOpinion(national, town, { roles: ['TOWN_OFFICER'] }, { decision: 'CLEAR', itemCodes: [], note: '' }).department).toBe('TOWNSHIP');
    expect(ruleOf(() => checkOpinion(national, county, { roles: ['TOWN_OFFICER'] }, { decision: 'CLEAR', itemCodes: [], note: '' }))).toBe('CONFLICT:REVIEW.DEPARTMENT_NOT_AT_LEVEL');
  });

  it('asks only the departments of the current level, while the review is open', () => {
    expect(ruleOf(() => checkOpinion(national, county, reviewer('AUDIT'), { decision: 'CLEAR', itemCodes: [], note: '' }))).toBe('CONFLICT:REVIEW.DEPARTMENT_NOT_AT_LEVEL');
    expect(ruleOf(() => checkOpinion(national, { ...county, status: 'CLEARED' }, reviewer('COURT'), { decision: 'CLEAR', itemCodes: [], note: '' }))).toBe('CONFLICT:REVIEW.CONCLUDED');
    expect(checkOpinion(national, { ...county, status: 'REOPENED', round: 2 }, reviewer('COURT'), { decision: 'CLEAR', itemCodes: [], note: '' }).department).toBe('COURT');
  });
});

describe('what an opinion says', () => {
  const pub = reviewer('PUBLIC_SECURITY');
  it('names items of the policy only; a BAR at least one negative item; a CLEAR none', () => {
    expect(ruleOf(() => checkOpinion(national, county, pub, { decision: 'BAR', itemCodes: ['SBX-11'], note: '前科' }))).toBe('BAD_USER_INPUT:REVIEW.UNKNOWN_ITEM');
    expect(ruleOf(() => checkOpinion(national, county, pub, { decision: 'BAR', itemCodes: ['HLG-12'], note: '问题党员' }))).toBe('BAD_USER_INPUT:REVIEW.UNKNOWN_ITEM'); // Helingeer's, not national
    expect(ruleOf(() => checkOpinion(national, county, pub, { decision: 'BAR', itemCodes: [], note: '前科' }))).toBe('BAD_USER_INPUT:REVIEW.BAR_NEEDS_ITEM');
    expect(ruleOf(() => checkOpinion(national, county, pub, { decision: 'CLEAR', itemCodes: ['SBX-02'], note: '' }))).toBe('BAD_USER_INPUT:REVIEW.CLEAR_CITES_NEGATIVE');
    expect(ruleOf(() => checkOpinion(national, county, pub, { decision: 'CONCERN', itemCodes: ['SBX-06'], note: '  ' }))).toBe('BAD_USER_INPUT:REVIEW.NOTE_REQUIRED');
    expect(checkOpinion(national, county, pub, { decision: 'BAR', itemCodes: ['SBX-02', 'SBX-02 '], note: ' 2019年因故意伤害罪被判处有期徒刑 ' })).toEqual({
      department: 'PUBLIC_SECURITY',
      decision: 'BAR',
      itemCodes: ['SBX-02'],
      note: '2019年因故意伤害罪被判处有期徒刑',
    });
  });

  it("lets a CLEAR cite a region's positive items", () => {
    expect(checkOpinion(baoshan, county, reviewer('ORGANISATION'), { decision: 'CLEAR', itemCodes: ['BSP-03'], note: '' }).itemCodes).toEqual(['BSP-03']);
  });
});

describe('moving level by level', () => {
  it('moves on only when every department of the level has answered', () => {
    const town: ReviewState = { status: 'OPEN', level: 'TOWN_FIRST_REVIEW', round: 1 };
    expect(ruleOf(() => advance(national, town, []))).toBe('CONFLICT:REVIEW.OPINIONS_MISSING');
    expect(advance(national, town, [opinion('TOWNSHIP', 'CLEAR', [], { level: 'TOWN_FIRST_REVIEW' })])).toBe('COUNTY_JOINT_REVIEW');
    const some = allClear().slice(1);
    expect(missingDepartments(national, 'COUNTY_JOINT_REVIEW', some)).toEqual(['DISCIPLINE']);
    expect(ruleOf(() => advance(baoshan, county, some))).toBe('CONFLICT:REVIEW.OPINIONS_MISSING');
    expect(advance(baoshan, county, allClear())).toBe('CITY_RE_REVIEW');
    expect(ruleOf(() => advance(national, county, allClear()))).toBe('CONFLICT:REVIEW.LAST_LEVEL');
  });

  it('counts neither superseded opinions nor those of another level', () => {
    const stale = allClear().map((o, i) => (i === 0 ? { ...o, current: false } : o));
    expect(missingDepartments(national, 'COUNTY_JOINT_REVIEW', stale)).toEqual(['DISCIPLINE']);
    expect(missingDepartments(national, 'COUNTY_JOINT_REVIEW', [opinion('DISCIPLINE', 'CLEAR', [], { level: 'TOWN_FIRST_REVIEW' })])).toContain('DISCIPLINE');
  });
});

describe('concluding', () => {
  it('clears only at the last level with every department answered', () => {
    expect(checkConclusion(national, county, allClear(), { outcome: 'CLEARED', itemCodes: [], opinionIds: [] })).toMatchObject({ outcome: 'CLEARED', overruleReason: null });
    expect(ruleOf(() => checkConclusion(national, county, allClear().slice(2), { outcome: 'CLEARED', itemCodes: [], opinionIds: [] }))).toBe('CONFLICT:REVIEW.OPINIONS_MISSING');
    expect(ruleOf(() => checkConclusion(baoshan, county, allClear(), { outcome: 'CLEARED', itemCodes: [], opinionIds: [] }))).toBe('CONFLICT:REVIEW.LEVELS_REMAINING');
    expect(ruleOf(() => checkConclusion(national, { ...county, status: 'CLEARED' }, allClear(), { outcome: 'CLEARED', itemCodes: [], opinionIds: [] }))).toBe('CONFLICT:REVIEW.CONCLUDED');
  });

  it('never clears over a BAR on an item that bars outright; over one that needs a decision only with a reason', () => {
    const barred = [...allClear().slice(1), opinion('DISCIPLINE', 'BAR', ['SBX-03'])];
    expect(ruleOf(() => checkConclusion(national, county, barred, { outcome: 'CLEARED', itemCodes: [], opinionIds: [], overruleReason: '经研判不影响参选资格的情形' }))).toBe(
      'CONFLICT:REVIEW.BARRED',
    );
    const weighed = [...allClear().filter((o) => o.department !== 'PETITIONS'), opinion('PETITIONS', 'BAR', ['SBX-06'])];
    expect(ruleOf(() => checkConclusion(national, county, weighed, { outcome: 'CLEARED', itemCodes: [], opinionIds: [] }))).toBe('CONFLICT:REVIEW.BAR_STANDS');
    expect(ruleOf(() => checkConclusion(national, county, weighed, { outcome: 'CLEARED', itemCodes: [], opinionIds: [], overruleReason: '太短' }))).toBe('CONFLICT:REVIEW.BAR_STANDS');
    expect(checkConclusion(national, county, weighed, { outcome: 'CLEARED', itemCodes: [], opinionIds: [], overruleReason: '信访事项已依法终结,经县委研判不影响参选' })).toMatchObject({
      outcome: 'CLEARED',
      overruleReason: '信访事项已依法终结,经县委研判不影响参选',
    });
    // A superseded BAR no longer stands.
    const revised = [...allClear(), opinion('DISCIPLINE', 'BAR', ['SBX-03'], { current: false })];
    expect(checkConclusion(national, county, revised, { outcome: 'CLEARED', itemCodes: [], opinionIds: [] }).outcome).toBe('CLEARED');
  });

  it('disqualifies only citing an item and an opinion that found it', () => {
    const bar = opinion('PUBLIC_SECURITY', 'BAR', ['SBX-02']);
    const clear = opinion('COURT');
    const ops = [bar, clear];
    const dq = (itemCodes: string[], opinionIds: string[]) => () => checkConclusion(national, county, ops, { outcome: 'DISQUALIFIED', itemCodes, opinionIds });
    expect(ruleOf(dq([], [bar.id]))).toBe('BAD_USER_INPUT:REVIEW.CITATION_REQUIRED');
    expect(ruleOf(dq(['SBX-02'], []))).toBe('BAD_USER_INPUT:REVIEW.CITATION_REQUIRED');
    expect(ruleOf(dq(['SBX-02'], [clear.id]))).toBe('BAD_USER_INPUT:REVIEW.CITATION_REQUIRED'); // a CLEAR supports nothing
    expect(ruleOf(dq(['SBX-02'], ['op-unknown']))).toBe('BAD_USER_INPUT:REVIEW.CITATION_REQUIRED');
    expect(ruleOf(dq(['SBX-03'], [bar.id]))).toBe('BAD_USER_INPUT:REVIEW.CITATION_UNSUPPORTED');
    expect(ruleOf(dq(['BSP-01'], [bar.id]))).toBe('BAD_USER_INPUT:REVIEW.UNKNOWN_ITEM');
    expect(dq(['SBX-02'], [bar.id])()).toEqual({ outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'], opinionIds: [bar.id], complaintIds: [], overruleReason: null });
    // At the town's first review already, without waiting for the county.
    const townBar = opinion('TOWNSHIP', 'CONCERN', ['SBX-07'], { level: 'TOWN_FIRST_REVIEW' });
    expect(checkConclusion(national, { ...county, level: 'TOWN_FIRST_REVIEW' }, [townBar], { outcome: 'DISQUALIFIED', itemCodes: ['SBX-07'], opinionIds: [townBar.id] }).outcome).toBe(
      'DISQUALIFIED',
    );
    // An opinion of an earlier round is no longer evidence.
    const old = opinion('PUBLIC_SECURITY', 'BAR', ['SBX-02'], { current: false });
    expect(ruleOf(() => checkConclusion(national, county, [old], { outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'], opinionIds: [old.id] }))).toBe('BAD_USER_INPUT:REVIEW.CITATION_REQUIRED');
  });
});

describe('findings and reopening', () => {
  it('disqualifies at once on a 三个一律 ground, citing the item and the complaint', () => {
    const cleared: ReviewState = { ...county, status: 'CLEARED' };
    expect(disqualifyOnFinding(national, cleared, { category: 'VOTE_BUYING', complaintId: 'c1' })).toEqual({
      outcome: 'DISQUALIFIED',
      itemCodes: ['SBX-05'],
      opinionIds: [],
      complaintIds: ['c1'],
      overruleReason: null,
    });
    expect(disqualifyOnFinding(national, county, { category: 'CLAN_INTERFERENCE', complaintId: 'c2' })?.itemCodes).toEqual(['SBX-04']);
    expect(disqualifyOnFinding(national, county, { category: 'CRIMINAL_INTERFERENCE', complaintId: 'c3' })?.itemCodes).toEqual(['SBX-02']);
    expect(disqualifyOnFinding(national, cleared, { category: 'ELIGIBILITY', complaintId: 'c4' })).toBeNull();
    expect(disqualifyOnFinding(national, { ...county, status: 'DISQUALIFIED' }, { category: 'VOTE_BUYING', complaintId: 'c5' })).toBeNull();
  });

  it('reopens a concluded review at the joint review in a new round', () => {
    expect(reopen(baoshan, { status: 'CLEARED', level: 'CITY_RE_REVIEW', round: 1 })).toEqual({ status: 'REOPENED', level: 'COUNTY_JOINT_REVIEW', round: 2 });
    expect(reopen(national, { status: 'DISQUALIFIED', level: 'TOWN_FIRST_REVIEW', round: 2 })).toEqual({ status: 'REOPENED', level: 'COUNTY_JOINT_REVIEW', round: 3 });
    expect(ruleOf(() => reopen(national, county))).toBe('CONFLICT:REVIEW.NOT_CONCLUDED');
  });
});

describe('deadlines', () => {
  it('counts days on the Shanghai calendar and is overdue from the day after', () => {
    expect(addDays('2026-02-25', 5)).toBe('2026-03-02');
    expect(opinionDeadline(national, 'COUNTY_JOINT_REVIEW', '2026-03-01')).toBe('2026-03-11');
    expect(opinionDeadline(national, 'CITY_RE_REVIEW', '2026-03-01')).toBeNull();
    expect(isOverdue('2026-03-11', '2026-03-11')).toBe(false);
    expect(isOverdue('2026-03-11', '2026-03-12')).toBe(true);
  });
});
