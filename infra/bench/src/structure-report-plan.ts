/**
 * Who sits on which committee in the structure-report scenario, decided from each unit's register
 * as personnel returns it (gender, birth date, education, political status), and what the
 * structure report must then say. Pure: no I/O.
 *
 * Two terms of both committees of every village and community, each entered with startTerm:
 *   - the previous one from PREVIOUS_TERM_START (Chengdu's 2021 换届): older people, the secretary
 *     the oldest full member within the age rule, 一肩挑 in every other unit;
 *   - the current one from CURRENT_TERM_START: startTerm ends the previous term and its seats the
 *     day before (PREVIOUS_TERM_LAST_DAY, also its scheduled last day); younger people, a college
 *     educated secretary near 42, 一肩挑 in nine units out of ten.
 * The rules each roster satisfies are personnel's (committee.rules.ts, term.rules.ts,
 * position.rules.ts): a Party branch of 3–7 full members (no probationary members) with one
 * secretary; a villagers' committee of 3–7 or a residents' committee of 5–9 with one director; the
 * women's seat held by a woman; one seat per person per committee.
 */

export const PREVIOUS_TERM_START = '2021-03-20';
export const PREVIOUS_TERM_LAST_DAY = '2026-03-19';
export const CURRENT_TERM_START = '2026-03-20';
/** The date the report counts on: fixed, so the figures do not depend on the day of the run. */
export const REPORT_AS_OF = '2026-07-01';

export type Gender = 'MALE' | 'FEMALE';
export type CommitteeKind = 'PARTY' | 'VILLAGERS' | 'RESIDENTS';
export type Role = 'SECRETARY' | 'DEPUTY_SECRETARY' | 'PARTY_MEMBER_SEAT' | 'DIRECTOR' | 'DEPUTY_DIRECTOR' | 'MEMBER' | 'WOMEN_MEMBER';

export interface RegisterPerson {
  id: string;
  gender: Gender;
  birthDate: string;
  education: string;
  politicalStatus: string;
}

export interface RegisterUnit {
  id: string;
  code: string;
  kind: 'VILLAGE' | 'COMMUNITY';
  people: RegisterPerson[];
}

export interface Seat {
  personId: string;
  role: Role;
}

export interface CommitteeRosters {
  kind: CommitteeKind;
  previous: Seat[];
  current: Seat[];
}

export interface UnitPlan {
  unit: RegisterUnit;
  /** The Party committee, then the villagers' or residents' committee. */
  committees: [CommitteeRosters, CommitteeRosters];
}

const COLLEGE = new Set(['COLLEGE', 'BACHELOR', 'MASTER', 'DOCTORATE']);
/** 党员 in the report: full and probationary members. */
const PARTY = new Set(['PARTY_MEMBER', 'PROBATIONARY_MEMBER']);
/** 男满60岁、女满55岁一般不继续提名书记 */
const SECRETARY_AGE_LIMIT: Record<Gender, number> = { MALE: 60, FEMALE: 55 };

/** 周岁 on `on` (ISO dates), as personnel counts it: up on the birthday itself. */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

const isCollege = (p: RegisterPerson) => COLLEGE.has(p.education);
const withinAgeRule = (p: RegisterPerson, on: string) => ageOn(p.birthDate, on) < SECRETARY_AGE_LIMIT[p.gender];
const oldestFirst = (a: RegisterPerson, b: RegisterPerson) => a.birthDate.localeCompare(b.birthDate) || a.id.localeCompare(b.id);
const youngestFirst = (a: RegisterPerson, b: RegisterPerson) => b.birthDate.localeCompare(a.birthDate) || a.id.localeCompare(b.id);

function partyRoster(members: RegisterPerson[], secretary: RegisterPerson, size: number, order: typeof oldestFirst): Seat[] {
  const others = members.filter((p) => p.id !== secretary.id).sort(order);
  return [
    { personId: secretary.id, role: 'SECRETARY' },
    ...others.slice(0, size - 1).map((p, i): Seat => ({ personId: p.id, role: i === 0 && size >= 5 ? 'DEPUTY_SECRETARY' : 'PARTY_MEMBER_SEAT' })),
  ];
}

/** Director, a woman in the women's seat (the first in `order` other than the director), then the rest in `order`. */
function committeeRoster(people: RegisterPerson[], director: RegisterPerson, size: number, order: typeof oldestFirst): Seat[] {
  const rest = people.filter((p) => p.id !== director.id).sort(order);
  const woman = rest.find((p) => p.gender === 'FEMALE');
  const seats: Seat[] = [{ personId: director.id, role: 'DIRECTOR' }];
  if (woman) seats.push({ personId: woman.id, role: 'WOMEN_MEMBER' });
  for (const p of rest) {
    if (seats.length >= size) break;
    if (p === woman) continue;
    seats.push({ personId: p.id, role: seats.length === (woman ? 2 : 1) ? 'DEPUTY_DIRECTOR' : 'MEMBER' });
  }
  return seats;
}

/**
 * The four rosters of a unit (`index`: its place in the register, for the 一肩挑 pattern). Throws
 * when its people cannot fill them lawfully: the data set is then wrong, not personnel.
 */
export function planUnit(unit: RegisterUnit, index: number): UnitPlan {
  const people = [...unit.people].sort((a, b) => a.id.localeCompare(b.id));
  const fail = (why: string) => new Error(`unit ${unit.code} (${people.length} people) cannot seat its committees: ${why}`);
  const members = people.filter((p) => p.politicalStatus === 'PARTY_MEMBER');
  if (members.length < 3) throw fail(`${members.length} full Party members, a Party branch needs 3`);
  const otherKind: CommitteeKind = unit.kind === 'VILLAGE' ? 'VILLAGERS' : 'RESIDENTS';
  const minimum = otherKind === 'VILLAGERS' ? 3 : 5;
  if (people.length < minimum) throw fail(`a ${otherKind} committee needs ${minimum} members`);
  const committeeSize = Math.min(5, people.length);

  // Previous term: the oldest full member within the age rule then as secretary, a branch of three.
  const previousSecretary = members.filter((p) => withinAgeRule(p, PREVIOUS_TERM_START)).sort(oldestFirst)[0];
  if (!previousSecretary) throw fail(`no full Party member within the secretary age rule on ${PREVIOUS_TERM_START}`);
  const previousDirector =
    index % 2 === 0 ? previousSecretary : people.filter((p) => p.id !== previousSecretary.id).sort(oldestFirst)[0]!;

  // Current term: a college-educated member within the age rule, nearest 42, as secretary; up to five.
  const near42 = (p: RegisterPerson) => Math.abs(ageOn(p.birthDate, CURRENT_TERM_START) - 42);
  const secretary = members
    .filter((p) => withinAgeRule(p, CURRENT_TERM_START))
    .sort((a, b) => Number(isCollege(b)) - Number(isCollege(a)) || near42(a) - near42(b) || a.id.localeCompare(b.id))[0];
  if (!secretary) throw fail(`no full Party member within the secretary age rule on ${CURRENT_TERM_START}`);
  const director =
    index % 10 !== 9
      ? secretary
      : people
          .filter((p) => p.id !== secretary.id)
          .sort((a, b) => Number(isCollege(b)) - Number(isCollege(a)) || youngestFirst(a, b))[0]!;

  const plan: UnitPlan = {
    unit,
    committees: [
      {
        kind: 'PARTY',
        previous: partyRoster(members, previousSecretary, 3, oldestFirst),
        current: partyRoster(members, secretary, Math.min(5, members.length), youngestFirst),
      },
      {
        kind: otherKind,
        previous: committeeRoster(people, previousDirector, committeeSize, oldestFirst),
        current: committeeRoster(people, director, committeeSize, youngestFirst),
      },
    ],
  };
  for (const c of plan.committees) {
    for (const roster of [c.previous, c.current]) {
      if (new Set(roster.map((s) => s.personId)).size !== roster.length) throw fail(`a ${c.kind} roster names someone twice`);
    }
  }
  return plan;
}

/** The startTerm inputs of one term of every committee of a unit. */
export function startTermInputs(plan: UnitPlan, term: 'previous' | 'current'): Record<string, unknown>[] {
  return plan.committees.map((c) => ({
    input: {
      orgUnitId: plan.unit.id,
      committeeKind: c.kind,
      // Required when a unit's Party committee is first recorded; kept afterwards.
      ...(c.kind === 'PARTY' && term === 'previous' ? { partyOrgForm: 'BRANCH' } : {}),
      startsOn: term === 'previous' ? PREVIOUS_TERM_START : CURRENT_TERM_START,
      positions: c[term],
    },
  }));
}

/** The prefix of a 行政区划代码 that its subtree shares: 5101 for 510100000000. */
export function regionPrefix(code: string): string {
  for (const digits of [2, 4, 6, 9]) if (/^0+$/.test(code.slice(digits))) return code.slice(0, digits);
  return code;
}

export interface SideFigures {
  committeeCount: number;
  unitCount: number;
  memberCount: number;
  averageAge: number | null;
  aged35OrUnder: number;
  aged40OrUnder: number;
  collegeOrAbove: number;
  women: number;
  partyMembers: number;
  unitsWithBothPosts: number;
  oneShoulderUnits: number;
}

export interface ExpectedReport {
  unitCount: number;
  assessedUnitCount: number;
  current: SideFigures;
  previous: SideFigures;
  withoutWoman: number;
  withoutMemberAged35OrUnder: number;
  fewerThanTwoCollege: number;
  secretariesOverAgeRule: number;
}

/** One decimal, halves away from zero, from exact integers (as personnel's roundRatio). */
function averageOf(sum: number, count: number): number | null {
  return count === 0 ? null : Math.floor((20 * sum + count) / (2 * count)) / 10;
}

function side(plans: UnitPlan[], term: 'previous' | 'current', countedOn: string): SideFigures {
  const people = new Map<string, RegisterPerson>();
  let committees = 0;
  let units = 0;
  let both = 0;
  let oneShoulder = 0;
  for (const plan of plans) {
    const byId = new Map(plan.unit.people.map((p) => [p.id, p]));
    let seated = false;
    for (const c of plan.committees) {
      if (c[term].length === 0) continue;
      committees++;
      seated = true;
      for (const s of c[term]) people.set(s.personId, byId.get(s.personId)!);
    }
    if (seated) units++;
    const head = (role: Role) => plan.committees.flatMap((c) => c[term]).find((s) => s.role === role)?.personId;
    const [secretary, director] = [head('SECRETARY'), head('DIRECTOR')];
    if (secretary && director) {
      both++;
      if (secretary === director) oneShoulder++;
    }
  }
  const members = [...people.values()];
  const ages = members.map((p) => ageOn(p.birthDate, countedOn));
  return {
    committeeCount: committees,
    unitCount: units,
    memberCount: members.length,
    averageAge: averageOf(
      ages.reduce((a, b) => a + b, 0),
      members.length,
    ),
    aged35OrUnder: ages.filter((a) => a <= 35).length,
    aged40OrUnder: ages.filter((a) => a <= 40).length,
    collegeOrAbove: members.filter(isCollege).length,
    women: members.filter((p) => p.gender === 'FEMALE').length,
    partyMembers: members.filter((p) => PARTY.has(p.politicalStatus)).length,
    unitsWithBothPosts: both,
    oneShoulderUnits: oneShoulder,
  };
}

/**
 * What structureReport(regionCode, asOf: REPORT_AS_OF) must answer, computed from the rosters:
 * `plans` are the seated units, `otherUnitCodes` the region's other villages and communities
 * (registered but without committees).
 */
export function expectedReport(regionCode: string, plans: readonly UnitPlan[], otherUnitCodes: readonly string[]): ExpectedReport {
  const prefix = regionPrefix(regionCode);
  const here = plans.filter((p) => p.unit.code.startsWith(prefix));
  const report: ExpectedReport = {
    unitCount: here.length + otherUnitCodes.filter((c) => c.startsWith(prefix)).length,
    assessedUnitCount: 0,
    current: side(here, 'current', REPORT_AS_OF),
    previous: side(here, 'previous', PREVIOUS_TERM_LAST_DAY),
    withoutWoman: 0,
    withoutMemberAged35OrUnder: 0,
    fewerThanTwoCollege: 0,
    secretariesOverAgeRule: 0,
  };
  for (const plan of here) {
    const byId = new Map(plan.unit.people.map((p) => [p.id, p]));
    const seats = plan.committees.flatMap((c) => c.current);
    if (seats.length === 0) continue;
    report.assessedUnitCount++;
    const team = [...new Set(seats.map((s) => s.personId))].map((id) => byId.get(id)!);
    if (!team.some((p) => p.gender === 'FEMALE')) report.withoutWoman++;
    if (!team.some((p) => ageOn(p.birthDate, REPORT_AS_OF) <= 35)) report.withoutMemberAged35OrUnder++;
    if (team.filter(isCollege).length < 2) report.fewerThanTwoCollege++;
    const secretary = byId.get(seats.find((s) => s.role === 'SECRETARY')!.personId)!;
    if (!withinAgeRule(secretary, CURRENT_TERM_START)) report.secretariesOverAgeRule++;
  }
  return report;
}

/** The figures of an answer the expectation pins, side by side with it; empty when they agree. */
export function compareReport(expected: ExpectedReport, answer: StructureReportAnswer): string[] {
  const got = answer.structureReport;
  const sideOf = (s: StructureReportAnswer['structureReport']['current']): SideFigures => ({
    committeeCount: s.committeeCount,
    unitCount: s.unitCount,
    memberCount: s.memberCount,
    averageAge: s.averageAge,
    aged35OrUnder: s.aged35OrUnder.count,
    aged40OrUnder: s.aged40OrUnder.count,
    collegeOrAbove: s.collegeOrAbove.count,
    women: s.women.count,
    partyMembers: s.partyMembers.count,
    unitsWithBothPosts: s.oneShoulder.unitsWithBothPosts,
    oneShoulderUnits: s.oneShoulder.oneShoulderUnits,
  });
  const actual: ExpectedReport = {
    unitCount: got.unitCount,
    assessedUnitCount: got.compliance.assessedUnitCount,
    current: sideOf(got.current),
    previous: sideOf(got.previous),
    withoutWoman: got.compliance.withoutWoman.count,
    withoutMemberAged35OrUnder: got.compliance.withoutMemberAged35OrUnder.count,
    fewerThanTwoCollege: got.compliance.fewerThanTwoCollege.count,
    secretariesOverAgeRule: got.compliance.secretariesOverAgeRule.count,
  };
  const differences: string[] = [];
  const walk = (a: object, b: object, path: string) => {
    for (const [key, want] of Object.entries(a)) {
      const have = (b as Record<string, unknown>)[key];
      if (want !== null && typeof want === 'object') walk(want as object, have as object, `${path}${key}.`);
      else if (want !== have) differences.push(`${path}${key}: expected ${want}, got ${String(have)}`);
    }
  };
  walk(expected, actual, '');
  return differences;
}

interface ShareAnswer {
  count: number;
  percent: number | null;
}

/** The part of the STRUCTURE_REPORT answer (operations.ts) the bench reads. */
export interface StructureReportAnswer {
  structureReport: {
    regionCode: string;
    asOf: string;
    unitCount: number;
    region: { code: string; name: string } | null;
    current: {
      committeeCount: number;
      unitCount: number;
      memberCount: number;
      averageAge: number | null;
      aged35OrUnder: ShareAnswer;
      aged40OrUnder: ShareAnswer;
      collegeOrAbove: ShareAnswer;
      women: ShareAnswer;
      partyMembers: ShareAnswer;
      oneShoulder: { unitsWithBothPosts: number; oneShoulderUnits: number; percent: number | null };
    };
    previous: StructureReportAnswer['structureReport']['current'];
    change: Record<string, number | null>;
    twoUpOneDown: Record<string, boolean | null>;
    compliance: {
      assessedUnitCount: number;
      withoutWoman: { count: number };
      withoutMemberAged35OrUnder: { count: number };
      fewerThanTwoCollege: { count: number };
      secretariesOverAgeRule: { count: number };
    };
  };
}
