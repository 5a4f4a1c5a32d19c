import { nationalIdCheckChar } from '@huanjie/platform';
import { ruleOf as codeAndRule } from '@huanjie/testkit';
import { rulesFor } from '../src/domain/election-rules.data';
import {
  checkObjectionShape,
  checkRegistrationOpen,
  checkVoter,
  parseVoterBasis,
  voterRulesFor,
  type VoterInput,
} from '../src/domain/voter.rules';
import { readVoterHeader } from '../src/import/voter-import.columns';

/** The rule a domain function refuses with (ruleOf gives CODE:RULE). */
const ruleOf = (fn: () => unknown) => codeAndRule(fn).split(':').at(-1);
const DAY = '2026-05-20';
const rules = voterRulesFor('VILLAGERS', DAY);
const id = (birth: string, seq = '123') => {
  const first17 = `510107${birth.replace(/-/g, '')}${seq}`;
  return `${first17}${nationalIdCheckChar(first17)}`;
};
const row = (over: Partial<VoterInput> = {}): VoterInput => ({ name: '张三', idNumber: id('1980-01-01'), household: '1组01号', basis: 'HUKOU_RESIDENT', ...over });
const verdict = (over: Partial<VoterInput>) => {
  const r = checkVoter(row(over), rules, DAY);
  return r.ok ? 'ok' : r.rule;
};

describe('checkVoter (one line of a voter file, or one registration)', () => {
  it('accepts a valid registration and reads the birth date from the number', () => {
    const r = checkVoter(row({ name: ' 张三 ', idNumber: id('1980-01-01').toLowerCase() }), rules, DAY);
    expect(r).toEqual({
      ok: true,
      voter: { name: '张三', idNumber: id('1980-01-01'), household: '1组01号', basis: 'HUKOU_RESIDENT', birthDate: '1980-01-01', residentSince: null, approvedOn: null },
    });
  });

  it.each([
    ['turns 18 on election day', { idNumber: id('2008-05-20') }, 'ok'],
    ['turns 18 the day after election day', { idNumber: id('2008-05-21') }, 'VOTER.AGE'],
    ['born 29 February, 18 on 1 March of a common year', { idNumber: id('2008-02-29') }, 'ok'],
    ['wrong check character', { idNumber: `${id('1980-01-01').slice(0, 17)}${id('1980-01-01')[17] === '0' ? '1' : '0'}` }, 'PERSON.ID_NUMBER_CHECKSUM'],
    ['15-digit old number', { idNumber: '510107800101123' }, 'PERSON.ID_NUMBER_FORMAT'],
    ['impossible birth date', { idNumber: `51010719800230123${nationalIdCheckChar('51010719800230123')}` }, 'PERSON.ID_NUMBER_BIRTH_DATE'],
    ['empty name', { name: '  ' }, 'VOTER.NAME'],
    ['name with a line break', { name: '张\n三' }, 'VOTER.NAME'],
    ['name of 51 characters', { name: '张'.repeat(51) }, 'VOTER.NAME'],
    ['empty household', { household: '' }, 'VOTER.HOUSEHOLD'],
    ['unknown basis', { basis: '外来务工' }, 'VOTER.BASIS'],
    ['Chinese basis', { basis: '户籍在本村' }, 'ok'],
    ['residence dates on a hukou voter', { residentSince: '2020-01-01' }, 'VOTER.NON_HUKOU_FIELDS'],
    ['non-hukou without residentSince', { basis: 'NON_HUKOU_RESIDENT', approvedOn: '2026-04-01' }, 'VOTER.RESIDENT_SINCE'],
    ['non-hukou, a year less a day', { basis: 'NON_HUKOU_RESIDENT', residentSince: '2025-05-21', approvedOn: '2026-04-01' }, 'VOTER.RESIDENCE_PERIOD'],
    ['non-hukou, exactly a year', { basis: 'NON_HUKOU_RESIDENT', residentSince: '2025-05-20', approvedOn: '2026-04-01' }, 'ok'],
    ['non-hukou, consent after election day', { basis: '非户籍', residentSince: '2020-01-01', approvedOn: '2026-05-21' }, 'VOTER.MEETING_APPROVAL'],
  ] as [string, Partial<VoterInput>, string][])('%s → %s', (_name, over, expected) => {
    expect(verdict(over)).toBe(expected);
  });

  it('never quotes the ID number in a message', () => {
    const wrongCheck = `${id('1980-01-01').slice(0, 17)}${id('1980-01-01')[17] === '0' ? '1' : '0'}`;
    for (const over of [{ idNumber: id('2010-01-01') }, { idNumber: `${id('1980-01-01').slice(0, 17)}Y` }, { idNumber: wrongCheck }]) {
      const r = checkVoter(row(over), rules, DAY);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).not.toContain(over.idNumber!.slice(6, 14));
    }
  });

  it('takes the age from the rule data, not from a constant', () => {
    const sixteen = { ...rules, minAge: { value: 16, article: 'a test rule' } };
    expect(checkVoter(row({ idNumber: id('2010-05-20') }), sixteen, DAY).ok).toBe(true);
    expect(checkVoter(row({ idNumber: id('2010-05-20') }), rules, DAY).ok).toBe(false);
  });
});

describe('voter roll rules', () => {
  it('has no roll for a Party election', () => {
    expect(ruleOf(() => voterRulesFor('PARTY', DAY))).toBe('VOTER.PARTY_NO_ROLL');
  });

  it('takes the publication lead time from the election rule set', () => {
    expect(voterRulesFor('RESIDENTS', DAY).voterListLeadDays).toEqual(rulesFor('RESIDENTS', DAY).voterListLeadDays);
  });

  it('registers until the election is scheduled', () => {
    for (const s of ['PLANNED', 'NOMINATING', 'VETTING', 'VOTER_REGISTRATION'] as const) expect(() => checkRegistrationOpen(s)).not.toThrow();
    expect(ruleOf(() => checkRegistrationOpen('SCHEDULED'))).toBe('VOTER.REGISTRATION_CLOSED');
  });

  it('reads basis words as people write them', () => {
    expect(parseVoterBasis('hukou_resident')).toBe('HUKOU_RESIDENT');
    expect(parseVoterBasis(' 户籍在本村且居住 ')).toBe('HUKOU_RESIDENT');
    expect(parseVoterBasis('人户分离')).toBe('HUKOU');
    expect(parseVoterBasis('居住一年以上')).toBe('NON_HUKOU_RESIDENT');
    expect(parseVoterBasis('户口')).toBeNull();
  });

  it('asks each kind of objection for what it needs', () => {
    expect(() => checkObjectionShape('WRONGLY_LISTED', true, false, false, '已迁出')).not.toThrow();
    expect(ruleOf(() => checkObjectionShape('WRONGLY_LISTED', false, false, false, '已迁出'))).toBe('VOTER.OBJECTION_SHAPE');
    expect(ruleOf(() => checkObjectionShape('MISSING', false, false, false, '漏登'))).toBe('VOTER.OBJECTION_SHAPE');
    expect(ruleOf(() => checkObjectionShape('DETAILS_WRONG', true, false, false, '户号错'))).toBe('VOTER.OBJECTION_SHAPE');
    expect(ruleOf(() => checkObjectionShape('MISSING', false, true, false, ' '))).toBe('VOTER.OBJECTION_REASON');
  });
});

describe('readVoterHeader', () => {
  it('maps English and Chinese headings in any order and ignores 序号 and 备注', () => {
    expect(readVoterHeader(['序号', '身份证号码', '姓名', '户 号', 'Basis', '备注'])).toMatchObject({ idNumber: 1, name: 2, household: 3, basis: 4, residentSince: -1, width: 6 });
  });

  it('refuses unknown, repeated and missing headings', () => {
    expect(ruleOf(() => readVoterHeader(['name', 'idNumber', 'household', 'basis', 'phnoe']))).toBe('IMPORT.HEADER_UNKNOWN');
    expect(ruleOf(() => readVoterHeader(['name', '姓名', 'idNumber', 'household', 'basis']))).toBe('IMPORT.HEADER_REPEATED');
    expect(ruleOf(() => readVoterHeader(['name', 'idNumber']))).toBe('IMPORT.HEADER_MISSING');
  });
});
