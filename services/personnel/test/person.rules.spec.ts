import { DomainError, nationalIdCheckChar } from '@huanjie/platform';
import { ageOn, applyUpdate, isCollegeOrAbove, planRegistration, type PersonFacts, type RegistrationInput } from '../src/domain/person.rules';
import { ancestorPathsOf, checkSearchFragment, planOrgUnit, type OrgUnitKind } from '../src/domain/org-unit.rules';
import { ruleOf } from '@huanjie/testkit';

const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;
const UNIT = '00000000-0000-4000-8000-000000000001';
const TOWN = '00000000-0000-4000-8000-000000000002';
const TODAY = '2026-03-15';
const ctx = (orgUnitKind: OrgUnitKind, reserveOrgUnitKind: OrgUnitKind | null = null) => ({ orgUnitId: UNIT, orgUnitKind, reserveOrgUnitKind, today: TODAY });

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
  const base = { name: '王秀英', ethnicity: '汉族', education: 'COLLEGE' as const, politicalStatus: 'PARTY_MEMBER' as const, partyJoinedOn: '2008-07-01' };

  it('reads gender and birth date from the ID number', () => {
    const plan = planRegistration({ ...base, idNumber: validId('51010719850923102') }, ctx('COMMUNITY'));
    expect(plan).toMatchObject({ gender: 'FEMALE', birthDate: '1985-09-23', reserve: false, reserveSince: null, reserveOrgUnitId: null, phone: null });
  });

  it('normalises a lower-case check character', () => {
    // 11010519491231002X is the worked example of GB 11643.
    expect(planRegistration({ ...base, idNumber: '11010519491231002x' }, ctx('VILLAGE')).idNumber).toBe('11010519491231002X');
  });

  it('refuses a wrong check character', () => {
    expect(ruleOf(() => planRegistration({ ...base, idNumber: '110105194912310021' }, ctx('VILLAGE')))).toBe('BAD_USER_INPUT:PERSON.ID_NUMBER_CHECKSUM');
  });

  it('refuses registration above village level', () => {
    expect(ruleOf(() => planRegistration({ ...base, idNumber: '11010519491231002X' }, ctx('TOWN')))).toBe('BAD_USER_INPUT:PERSON.ORG_UNIT_KIND');
  });
});

describe('applyUpdate', () => {
  const current: PersonFacts = {
    name: '张宇', gender: 'MALE', birthDate: '1996-03-04', ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'LEAGUE_MEMBER',
    partyJoinedOn: null, professionalBackgrounds: [], sourceTags: ['RETURNING_GRADUATE'], reserve: true, reserveSince: '2021-03-01',
    reserveOrgUnitId: UNIT, phone: '13800138000',
  };
  const update = { orgUnitId: UNIT, reserveOrgUnitKind: null, today: TODAY };

  it('names exactly the fields that changed', () => {
    const { next, changed } = applyUpdate(current, { politicalStatus: 'PROBATIONARY_MEMBER', partyJoinedOn: '2025-07-01', name: '张宇', reserve: null }, update);
    expect(changed).toEqual(['politicalStatus', 'partyJoinedOn']);
    expect(next.politicalStatus).toBe('PROBATIONARY_MEMBER');
  });

  it('refuses an update that changes nothing', () => {
    expect(ruleOf(() => applyUpdate(current, { name: '张宇' }, update))).toBe('BAD_USER_INPUT:PERSON.NO_CHANGE');
  });
});

describe('org tree helpers', () => {
  it('lists the ancestor paths of a unit top-down, and none for a province', () => {
    expect(ancestorPathsOf('51.5101.510107.510107018.510107018003')).toEqual(['51', '51.5101', '51.5101.510107', '51.5101.510107.510107018']);
    expect(ancestorPathsOf('51')).toEqual([]);
  });

  it('trims a search fragment and refuses an empty or overlong one', () => {
    expect(checkSearchFragment(' 七里 ')).toBe('七里');
    expect(ruleOf(() => checkSearchFragment('  '))).toBe('BAD_USER_INPUT:ORG_UNIT.SEARCH_NAME');
    expect(ruleOf(() => checkSearchFragment('社'.repeat(61)))).toBe('BAD_USER_INPUT:ORG_UNIT.SEARCH_NAME');
  });
});

describe('derived facts', () => {
  it('counts 大专 and above as college education', () => {
    expect(['PRIMARY', 'JUNIOR_SECONDARY', 'SENIOR_SECONDARY', 'COLLEGE', 'BACHELOR', 'MASTER', 'DOCTORATE'].map((e) => isCollegeOrAbove(e as never))).toEqual([
      false, false, false, true, true, true, true,
    ]);
  });

  it('adds a year of age on the birthday itself, and on 1 March for someone born on 29 February', () => {
    expect(ageOn('1985-09-23', '2026-09-22')).toBe(40);
    expect(ageOn('1985-09-23', '2026-09-23')).toBe(41);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
    expect(ageOn('2000-02-29', '2028-02-29')).toBe(28);
  });
});

describe('registration rules', () => {
  // Born 1990-06-15, female; a member since 2015.
  const idNumber = validId('51010819900615102');
  const input = (over: Partial<RegistrationInput> = {}): RegistrationInput => ({
    name: '杨丽', idNumber, ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2015-07-01', ...over,
  });
  const plan = (over: Partial<RegistrationInput> = {}, reserveOrgUnitKind: OrgUnitKind | null = null) =>
    planRegistration(input(over), ctx('COMMUNITY', reserveOrgUnitKind));
  const rule = (over: Partial<RegistrationInput>, reserveOrgUnitKind: OrgUnitKind | null = null) => ruleOf(() => plan(over, reserveOrgUnitKind));

  it('accepts gender and birth date that agree with the ID number', () => {
    expect(plan({ gender: 'FEMALE', birthDate: '1990-06-15' })).toMatchObject({ gender: 'FEMALE', birthDate: '1990-06-15' });
  });

  it('names each of gender and birth date that disagree with the ID number', () => {
    expect(rule({ birthDate: '1990-06-16' })).toBe('BAD_USER_INPUT:PERSON.BIRTH_DATE_MATCHES_ID_NUMBER');
    expect(rule({ gender: 'MALE' })).toBe('BAD_USER_INPUT:PERSON.GENDER_MATCHES_ID_NUMBER');
    try {
      plan({ gender: 'MALE', birthDate: '1991-06-15' });
      throw new Error('accepted');
    } catch (error) {
      expect((error as DomainError).details).toEqual({ rules: ['PERSON.BIRTH_DATE_MATCHES_ID_NUMBER', 'PERSON.GENDER_MATCHES_ID_NUMBER'] });
    }
  });

  it('takes an ethnic group from the GB/T 3304 list and nothing else', () => {
    expect(plan({ ethnicity: ' 蒙古族 ' }).ethnicity).toBe('蒙古族');
    expect(rule({ ethnicity: '蒙古' })).toBe('BAD_USER_INPUT:PERSON.ETHNICITY');
    expect(rule({ ethnicity: 'Han' })).toBe('BAD_USER_INPUT:PERSON.ETHNICITY');
  });

  it('requires the date of joining exactly for members and probationary members', () => {
    expect(rule({ partyJoinedOn: null })).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_REQUIRED');
    expect(rule({ politicalStatus: 'PROBATIONARY_MEMBER', partyJoinedOn: undefined })).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_REQUIRED');
    expect(rule({ politicalStatus: 'MASSES' })).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_MEMBERS_ONLY');
    expect(plan({ politicalStatus: 'LEAGUE_MEMBER', partyJoinedOn: null }).partyJoinedOn).toBeNull();
  });

  it('refuses a date of joining that is malformed, in the future or before the 18th birthday', () => {
    expect(rule({ partyJoinedOn: '2015-02-30' })).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_FORMAT');
    expect(rule({ partyJoinedOn: '2026-03-16' })).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_NOT_FUTURE');
    expect(plan({ partyJoinedOn: TODAY }).partyJoinedOn).toBe(TODAY);
    expect(rule({ partyJoinedOn: '2008-06-14' })).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_ADULT');
    expect(plan({ partyJoinedOn: '2008-06-15' }).partyJoinedOn).toBe('2008-06-15');
  });

  it('gives a reserve cadre a date and, by default, the pool of their own unit', () => {
    expect(plan({ reserve: true, reserveSince: '2021-03-01' })).toMatchObject({ reserve: true, reserveSince: '2021-03-01', reserveOrgUnitId: UNIT });
    expect(plan({ reserve: true, reserveSince: '2021-03-01', reserveOrgUnitId: TOWN }, 'SUBDISTRICT')).toMatchObject({ reserveOrgUnitId: TOWN });
  });

  it('holds the reserve date and pool to their rules', () => {
    expect(rule({ reserve: true })).toBe('BAD_USER_INPUT:PERSON.RESERVE_SINCE_REQUIRED');
    expect(rule({ reserveSince: '2021-03-01' })).toBe('BAD_USER_INPUT:PERSON.RESERVE_FIELDS_FOR_RESERVES_ONLY');
    expect(rule({ reserve: false, reserveOrgUnitId: TOWN }, 'TOWN')).toBe('BAD_USER_INPUT:PERSON.RESERVE_FIELDS_FOR_RESERVES_ONLY');
    expect(rule({ reserve: true, reserveSince: '20210301' })).toBe('BAD_USER_INPUT:PERSON.RESERVE_SINCE_FORMAT');
    expect(rule({ reserve: true, reserveSince: '2027-01-01' })).toBe('BAD_USER_INPUT:PERSON.RESERVE_SINCE_NOT_FUTURE');
    expect(rule({ reserve: true, reserveSince: '2005-01-01' })).toBe('BAD_USER_INPUT:PERSON.RESERVE_SINCE_ADULT');
    expect(rule({ reserve: true, reserveSince: '2021-03-01', reserveOrgUnitId: TOWN }, 'DISTRICT')).toBe('BAD_USER_INPUT:PERSON.RESERVE_ORG_UNIT_KIND');
  });

  it('keeps a mobile number as its 11 digits and refuses anything else', () => {
    expect(plan({ phone: '+86 138-0013-8000' }).phone).toBe('13800138000');
    expect(rule({ phone: '1380013800' })).toBe('BAD_USER_INPUT:PERSON.PHONE_FORMAT');
    expect(rule({ phone: '12800138000' })).toBe('BAD_USER_INPUT:PERSON.PHONE_FORMAT');
    expect(rule({ phone: '028-85551234' })).toBe('BAD_USER_INPUT:PERSON.PHONE_FORMAT');
  });

  it('stores backgrounds and tags as sets in the order of their enums', () => {
    expect(plan({ professionalBackgrounds: ['LAW', 'MODERN_AGRICULTURE', 'LAW'], sourceTags: ['VETERAN', 'RETURNING_GRADUATE'] })).toMatchObject({
      professionalBackgrounds: ['MODERN_AGRICULTURE', 'LAW'],
      sourceTags: ['RETURNING_GRADUATE', 'VETERAN'],
    });
  });
});

describe('update rules', () => {
  const member: PersonFacts = {
    name: '杨丽', gender: 'FEMALE', birthDate: '1990-06-15', ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'PROBATIONARY_MEMBER',
    partyJoinedOn: '2025-07-01', professionalBackgrounds: ['LAW'], sourceTags: [], reserve: false, reserveSince: null, reserveOrgUnitId: null,
    phone: null,
  };
  const update = (input: Parameters<typeof applyUpdate>[1], current = member, reserveOrgUnitKind: OrgUnitKind | null = null) =>
    applyUpdate(current, input, { orgUnitId: UNIT, reserveOrgUnitKind, today: TODAY });

  it('keeps the date of joining when a probationary member becomes a full member (转正)', () => {
    const { next, changed } = update({ politicalStatus: 'PARTY_MEMBER' });
    expect(next.partyJoinedOn).toBe('2025-07-01');
    expect(changed).toEqual(['politicalStatus']);
  });

  it('clears the date of joining when the status leaves the Party, and asks for one when it enters', () => {
    expect(update({ politicalStatus: 'MASSES' }).next.partyJoinedOn).toBeNull();
    const outside = { ...member, politicalStatus: 'MASSES' as const, partyJoinedOn: null };
    expect(ruleOf(() => update({ politicalStatus: 'PARTY_MEMBER' }, outside))).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_REQUIRED');
    expect(ruleOf(() => update({ partyJoinedOn: '2020-01-01' }, outside))).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_MEMBERS_ONLY');
    expect(ruleOf(() => update({ partyJoinedOn: null }))).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_REQUIRED');
    expect(ruleOf(() => update({ partyJoinedOn: '2030-01-01' }))).toBe('BAD_USER_INPUT:PERSON.PARTY_JOINED_ON_NOT_FUTURE');
  });

  it('puts a new reserve in their own unit’s pool and clears date and pool when they leave it', () => {
    const joined = update({ reserve: true, reserveSince: '2026-01-10' }).next;
    expect(joined).toMatchObject({ reserve: true, reserveSince: '2026-01-10', reserveOrgUnitId: UNIT });
    expect(update({ reserve: false }, joined).next).toMatchObject({ reserve: false, reserveSince: null, reserveOrgUnitId: null });
    expect(ruleOf(() => update({ reserve: true }))).toBe('BAD_USER_INPUT:PERSON.RESERVE_SINCE_REQUIRED');
    expect(update({ reserveOrgUnitId: TOWN }, joined, 'TOWN').next.reserveOrgUnitId).toBe(TOWN);
    expect(ruleOf(() => update({ reserveOrgUnitId: TOWN }, joined, 'CITY'))).toBe('BAD_USER_INPUT:PERSON.RESERVE_ORG_UNIT_KIND');
  });

  it('sets, keeps and clears a phone, and sees the same number as no change', () => {
    const withPhone = update({ phone: '139 0000 1111' }).next;
    expect(withPhone.phone).toBe('13900001111');
    expect(ruleOf(() => update({ phone: '13900001111' }, withPhone))).toBe('BAD_USER_INPUT:PERSON.NO_CHANGE');
    expect(update({ phone: null }, withPhone).changed).toEqual(['phone']);
  });

  it('replaces backgrounds and tags as sets and leaves them when null', () => {
    expect(update({ professionalBackgrounds: ['E_COMMERCE', 'LAW'], sourceTags: null }).next).toMatchObject({
      professionalBackgrounds: ['E_COMMERCE', 'LAW'],
      sourceTags: [],
    });
    expect(ruleOf(() => update({ professionalBackgrounds: ['LAW', 'LAW'] }))).toBe('BAD_USER_INPUT:PERSON.NO_CHANGE');
  });
});
