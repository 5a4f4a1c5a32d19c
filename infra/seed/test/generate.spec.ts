import { parseNationalId, regionPathFromCode } from '@huanjie/platform';
import { countsOf, digestOf, generate, type SeedData } from '../src';

// The generator alone: determinism, the size of each scale, and that every code and ID number it
// makes passes the services' own checks. The distributions are checked in distributions.spec.ts.

let district: SeedData;
beforeAll(() => {
  district = generate('district', 7);
});

describe('determinism', () => {
  it('gives the same data for the same seed and different data for another', () => {
    expect(digestOf(generate('district', 7))).toBe(digestOf(district));
    expect(digestOf(generate('district', 8))).not.toBe(digestOf(district));
    expect(digestOf(generate('village', 7))).toBe(digestOf(generate('village', 7)));
  });

  it('generates a district exactly as it is within the city', () => {
    const city = generate('city', 7);
    const inCity = (code: string) => code.startsWith('510117');
    expect(city.people.filter((p) => inCity(p.unitCode))).toEqual(district.people);
    expect(city.elections.filter((e) => inCity(e.unitCode))).toEqual(district.elections);
  });

  it('refuses a seed that is not a 32-bit whole number', () => {
    expect(() => generate('village', -1)).toThrow(/seed/);
    expect(() => generate('village', 1.5)).toThrow(/seed/);
  });
});

describe('scales', () => {
  it('district: one district of about 13 townships and 150 units', () => {
    const c = countsOf(district);
    expect(c).toMatchObject({ districts: 1, townships: 13, villagesAndCommunities: 150 });
    expect(c.peopleByCategory.MEMBER).toBeGreaterThan(150 * 6);
    expect(c.peopleByCategory.MEMBER).toBeLessThan(150 * 8);
    expect(c.terms).toBe(300);
    expect(c.elections).toBe(300);
  });

  it('village: one pilot village with the units above it', () => {
    const v = generate('village', 7);
    expect(v.units.map((u) => u.kind)).toEqual(['PROVINCE', 'CITY', 'DISTRICT', 'TOWN', 'VILLAGE']);
    expect(v.pilotUnitCodes).toEqual([v.units[4]!.code]);
    expect(v.elections.map((e) => e.stage)).toEqual(['VETTING', 'VOTER_REGISTRATION']);
  });
});

describe('codes and ID numbers', () => {
  it('makes every 行政区划代码 valid for its level and kind, unique, with its parent present', () => {
    const codes = new Set(district.units.map((u) => u.code));
    expect(codes.size).toBe(district.units.length);
    for (const unit of district.units) {
      expect(regionPathFromCode(unit.code).split('.')).toHaveLength(unit.level);
      if (unit.parentCode) expect(codes.has(unit.parentCode)).toBe(true);
    }
  });

  it('makes every GB 11643 number valid, unique and true to the birth date and gender', () => {
    const seen = new Set<string>();
    for (const p of district.people) {
      expect(parseNationalId(p.idNumber)).toEqual({ birthDate: p.birthDate, gender: p.gender, addressCode: '510117' });
      seen.add(p.idNumber);
    }
    const voters = district.elections.flatMap((e) => e.voters);
    for (const v of voters) parseNationalId(v.idNumber);
    // Voters include the unit's registered people (they vote too); every other number is new.
    const people = new Set(district.people.map((p) => p.idNumber));
    const distinct = new Set([...people, ...voters.map((v) => v.idNumber)]);
    expect(seen.size).toBe(district.people.length);
    expect(new Set(voters.map((v) => v.idNumber)).size).toBe(voters.length);
    expect(distinct.size).toBe(district.people.length + voters.filter((v) => !people.has(v.idNumber)).length);
  });
});

describe('lawful rosters and elections', () => {
  it('seats only full Party members on the Party committee, one head each, the women’s seat a woman, 一肩挑 everywhere', () => {
    const people = new Map(district.people.map((p) => [p.key, p]));
    for (const unit of district.units.filter((u) => u.level === 5)) {
      const [party, vc] = district.terms.filter((t) => t.unitCode === unit.code);
      expect(party!.positions.every((s) => people.get(s.personKey)!.politicalStatus === 'PARTY_MEMBER')).toBe(true);
      expect(party!.positions.filter((s) => s.role === 'SECRETARY')).toHaveLength(1);
      expect(vc!.positions.filter((s) => s.role === 'DIRECTOR')).toHaveLength(1);
      expect(vc!.positions.filter((s) => s.role === 'DIRECTOR')[0]!.personKey).toBe(party!.positions[0]!.personKey);
      for (const s of vc!.positions.filter((x) => x.role === 'WOMEN_MEMBER')) expect(people.get(s.personKey)!.gender).toBe('FEMALE');
      const [min, max] = unit.kind === 'VILLAGE' ? [3, 7] : [5, 9];
      expect(vc!.positions.length).toBeGreaterThanOrEqual(min);
      expect(vc!.positions.length).toBeLessThanOrEqual(max);
      expect(new Set(vc!.positions.map((s) => s.personKey)).size).toBe(vc!.positions.length);
    }
  });

  it('nominates enough candidates for a contested election (差额), once per person and election', () => {
    for (const e of district.elections.filter((x) => x.candidates.length > 0)) {
      expect(new Set(e.candidates.map((c) => c.personKey)).size).toBe(e.candidates.length);
      for (const { role, count } of e.seats) {
        const have = e.candidates.filter((c) => c.role === role).length;
        const exempt = e.committeeKind === 'PARTY' && role !== 'PARTY_MEMBER_SEAT';
        expect(have).toBeGreaterThanOrEqual(exempt ? count : e.committeeKind === 'PARTY' ? count + Math.ceil(count / 5) : count + 1);
      }
    }
  });
});

describe('complainants', () => {
  it('never share a name, or part of one, with a registered person (their names are public in events)', () => {
    const names = district.people.map((p) => p.name);
    const complainants = district.complaints.flatMap((c) => (c.complainant ? [c.complainant.name] : []));
    expect(complainants.length).toBeGreaterThan(0);
    for (const n of complainants) expect(names.some((p) => p.includes(n))).toBe(false);
  });
});
