import { ageOn } from '../src/generate/calendar';
import { CHENGDU, TARGETS } from '../src/generate/distributions';
import { DISQUALIFIED_SHARE } from '../src/generate/elections';
import { isCollege } from '../src/generate/person';
import { countsOf, generate, type SeedData, type SeedPerson } from '../src';

// The city against the figures the generator cites (src/generate/distributions.ts): each within the
// tolerance written beside it there.

let city: SeedData;
let members: SeedPerson[];
const kindOf = new Map<string, string>();
const share = <T>(items: readonly T[], test: (t: T) => boolean) => items.filter(test).length / items.length;

beforeAll(() => {
  city = generate('city', 1);
  members = city.people.filter((p) => p.category === 'MEMBER');
  for (const u of city.units) kindOf.set(u.code, u.kind);
});

it('has Chengdu’s size: 20 districts, 260 townships, 3,039 units, about 21,000 members and 10,750 reserves', () => {
  const c = countsOf(city);
  expect(c).toMatchObject({ districts: 20, townships: 260, villagesAndCommunities: CHENGDU.units, terms: 2 * CHENGDU.units });
  expect(Math.abs(members.length - CHENGDU.members) / CHENGDU.members).toBeLessThan(0.03);
  expect(Math.abs(c.peopleByCategory.RESERVE! - CHENGDU.reserves) / CHENGDU.reserves).toBeLessThan(0.02);
  // 000: 2.7万人次 screened; the candidates of the cycle so far come close.
  expect(Math.abs(c.candidates - CHENGDU.candidatesScreened) / CHENGDU.candidatesScreened).toBeLessThan(0.1);
});

it('gives the 2021 members 001’s ages: mean 48.2, 18.4% under 40, a member 35 or under in 96.3% of units', () => {
  const ages = members.map((m) => ageOn(m.birthDate, '2021-03-01'));
  expect(Math.abs(ages.reduce((a, b) => a + b, 0) / ages.length - TARGETS.meanAge2021.value)).toBeLessThan(TARGETS.meanAge2021.tolerance);
  expect(Math.abs(share(ages, (a) => a < 40) - TARGETS.under40Share.value)).toBeLessThan(TARGETS.under40Share.tolerance);
  const units = new Map<string, SeedPerson[]>();
  for (const m of members) units.set(m.unitCode, [...(units.get(m.unitCode) ?? []), m]);
  const young = share([...units.values()], (ms) => ms.some((m) => ageOn(m.birthDate, '2021-03-01') <= 35));
  expect(Math.abs(young - TARGETS.unitsWithMemberUnder35.value)).toBeLessThan(TARGETS.unitsWithMemberUnder35.tolerance);
  const twoCollege = share([...units.values()], (ms) => ms.filter((m) => isCollege(m.education)).length >= 2);
  expect(Math.abs(twoCollege - TARGETS.unitsWithTwoCollege.value)).toBeLessThan(TARGETS.unitsWithTwoCollege.tolerance);
});

it.each(['VILLAGE', 'COMMUNITY'] as const)('gives %s members the cited college and women’s shares', (kind) => {
  const ms = members.filter((m) => kindOf.get(m.unitCode) === kind);
  expect(Math.abs(share(ms, (m) => isCollege(m.education)) - TARGETS.collegeShare[kind])).toBeLessThan(TARGETS.collegeShare.tolerance);
  expect(Math.abs(share(ms, (m) => m.gender === 'FEMALE') - TARGETS.womenShare[kind])).toBeLessThan(TARGETS.womenShare.tolerance);
});

it('gives 26.5% of secretaries and 19.7% of members a professional background (000)', () => {
  const secretaries = new Set(city.terms.flatMap((t) => t.positions.filter((s) => s.role === 'SECRETARY').map((s) => s.personKey)));
  const [sec, rest] = [members.filter((m) => secretaries.has(m.key)), members.filter((m) => !secretaries.has(m.key))];
  const has = (m: SeedPerson) => m.professionalBackgrounds.length > 0;
  expect(Math.abs(share(sec, has) - TARGETS.professionalBackground.secretaries)).toBeLessThan(TARGETS.professionalBackground.tolerance);
  expect(Math.abs(share(rest, has) - TARGETS.professionalBackground.members)).toBeLessThan(TARGETS.professionalBackground.tolerance);
});

it('keeps every secretary within 002’s age rule at the 2021 election and the candidates for 2026 too', () => {
  const byKey = new Map(city.people.map((p) => [p.key, p]));
  const limit = { MALE: 60, FEMALE: 55 } as const;
  for (const t of city.terms.filter((x) => x.committeeKind === 'PARTY')) {
    const s = byKey.get(t.positions[0]!.personKey)!;
    expect(ageOn(s.birthDate, t.startsOn)).toBeLessThan(limit[s.gender]);
  }
  for (const c of city.elections.flatMap((e) => e.candidates).filter((x) => x.role === 'SECRETARY')) {
    const s = byKey.get(c.personKey)!;
    expect(ageOn(s.birthDate, '2027-06-30')).toBeLessThan(limit[s.gender]);
  }
});

it('disqualifies about 003’s 9.6% of the reviews it concludes', () => {
  const reviewed = city.elections.flatMap((e) => e.candidates).filter((c) => c.review);
  expect(reviewed.length).toBeGreaterThan(400);
  expect(Math.abs(share(reviewed, (c) => c.review!.outcome === 'DISQUALIFIED') - DISQUALIFIED_SHARE)).toBeLessThan(0.04);
});
