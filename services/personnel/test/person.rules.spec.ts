import { DomainError, nationalIdCheckChar } from '@huanjie/platform';
import { applyUpdate, planRegistration } from '../src/domain/person.rules';
import { planOrgUnit } from '../src/domain/org-unit.rules';

const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;
const ruleOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}:${error.rule}`;
    throw error;
  }
  return 'no error';
};

describe('planOrgUnit', () => {
  it('places a community under the sub-district its code names', () => {
    const plan = planOrgUnit({ code: '510107018003', name: ' 七里社区 ', kind: 'COMMUNITY' });
    expect(plan).toMatchObject({ name: '七里社区', regionPath: '51.5101.510107.510107018.510107018003', depth: 5, parentPath: '51.5101.510107.510107018' });
  });

  it('refuses a kind that does not match the level of the code', () => {
    expect(ruleOf(() => planOrgUnit({ code: '510107000000', name: '武侯区', kind: 'VILLAGE' }))).toBe('BAD_USER_INPUT:ORG_UNIT.KIND_MATCHES_CODE');
  });

  it('refuses a code with digits below an empty level', () => {
    expect(ruleOf(() => planOrgUnit({ code: '510100000012', name: 'x', kind: 'VILLAGE' }))).toBe('BAD_USER_INPUT:REGION.CODE_LEVELS');
  });
});

describe('planRegistration', () => {
  const base = { name: '王秀英', education: 'COLLEGE' as const, politicalStatus: 'PARTY_MEMBER' as const };

  it('reads gender and birth date from the ID number', () => {
    const plan = planRegistration({ ...base, idNumber: validId('51010719850923102') }, 'COMMUNITY');
    expect(plan).toMatchObject({ gender: 'FEMALE', birthDate: '1985-09-23', reserve: false });
  });

  it('normalises a lower-case check character', () => {
    // 11010519491231002X is the worked example of GB 11643.
    expect(planRegistration({ ...base, idNumber: '11010519491231002x' }, 'VILLAGE').idNumber).toBe('11010519491231002X');
  });

  it('refuses a wrong check character', () => {
    expect(ruleOf(() => planRegistration({ ...base, idNumber: '110105194912310021' }, 'VILLAGE'))).toBe('BAD_USER_INPUT:PERSON.ID_NUMBER_CHECKSUM');
  });

  it('refuses registration above village level', () => {
    expect(ruleOf(() => planRegistration({ ...base, idNumber: '11010519491231002X' }, 'TOWN'))).toBe('BAD_USER_INPUT:PERSON.ORG_UNIT_KIND');
  });
});

describe('applyUpdate', () => {
  const current = { name: '张宇', gender: 'MALE' as const, birthDate: '1996-03-04', education: 'BACHELOR' as const, politicalStatus: 'LEAGUE_MEMBER' as const, reserve: true };

  it('names exactly the fields that changed', () => {
    const { next, changed } = applyUpdate(current, { politicalStatus: 'PROBATIONARY_MEMBER', name: '张宇', reserve: null });
    expect(changed).toEqual(['politicalStatus']);
    expect(next.politicalStatus).toBe('PROBATIONARY_MEMBER');
  });

  it('refuses an update that changes nothing', () => {
    expect(ruleOf(() => applyUpdate(current, { name: '张宇' }))).toBe('BAD_USER_INPUT:PERSON.NO_CHANGE');
  });
});
