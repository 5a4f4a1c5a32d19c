import { addDays, CYCLE_2026 } from './calendar';
import { committeeCandidates, partyCandidates, secretaryCandidate, type UnitPool } from './candidates';
import { Rng, type Weighted } from './prng';
import type { ElectionStage, Role, SeedCandidate, SeedElection, SeedReviewOutcome, SeedUnit } from './types';

/**
 * The 2026 elections of one unit (a Party committee and a villagers'/residents' committee) as they
 * stand on the snapshot day. 先党内后党外: the Party election comes first. Pilot units (先行试点,
 * 002: "对工作基础较好、条件成熟的村(社区)，及时选取开展先行试点") are furthest along: every 联审
 * concluded, the villagers'/residents' election registering voters with its list put up. The other
 * units are spread over the earlier steps (choice: the sources give no progress figures).
 */

type UnitStage = 'PLANNED' | 'PARTY_NOMINATING' | 'PARTY_VETTING';
const UNIT_STAGES: Weighted<UnitStage> = [
  ['PLANNED', 15],
  ['PARTY_NOMINATING', 35],
  ['PARTY_VETTING', 50],
];
const STAGES: Record<UnitStage | 'PILOT', [ElectionStage, ElectionStage]> = {
  PLANNED: ['PLANNED', 'PLANNED'],
  PARTY_NOMINATING: ['NOMINATING', 'PLANNED'],
  PARTY_VETTING: ['VETTING', 'NOMINATING'],
  PILOT: ['VETTING', 'VOTER_REGISTRATION'],
};

/** 003 (都江堰): "对全市1722名…初步人选…审核取消了165名不符条件报名人员资格" — 9.6% disqualified. */
export const DISQUALIFIED_SHARE = 165 / 1722;
/** What the county joint review finds in those it bars: 十不选 items a county department answers for. */
const BARS: readonly NonNullable<SeedReviewOutcome['bar']>[] = [
  { department: 'PUBLIC_SECURITY', itemCode: 'SBX-02', note: '经公安机关核查,该人员曾受过刑事处罚' },
  { department: 'DISCIPLINE', itemCode: 'SBX-03', note: '该人员受到党纪处分尚在影响期内' },
  { department: 'DISCIPLINE', itemCode: 'SBX-05', note: '经核查,该人员存在拉票行为' },
];

/**
 * 应到会有选举权人数: 004 counts about 43,000 Party members voting in 533 units (about 81 each);
 * choice: fewer in villages, more in communities.
 */
function entitledMembers(rng: Rng, unit: SeedUnit): number {
  return unit.kind === 'VILLAGE' ? Math.round(rng.normal(60, 20, 20, 150)) : Math.round(rng.normal(100, 35, 30, 250));
}

function seatsOf(positions: readonly { role: Role }[], kind: 'PARTY' | 'VC'): { role: Role; count: number }[] {
  const total = positions.length;
  const deputy = positions.some((s) => s.role === (kind === 'PARTY' ? 'DEPUTY_SECRETARY' : 'DEPUTY_DIRECTOR')) ? 1 : 0;
  return kind === 'PARTY'
    ? [
        { role: 'SECRETARY', count: 1 },
        ...(deputy ? [{ role: 'DEPUTY_SECRETARY' as Role, count: 1 }] : []),
        { role: 'PARTY_MEMBER_SEAT', count: total - 1 - deputy },
      ]
    : [
        { role: 'DIRECTOR', count: 1 },
        ...(deputy ? [{ role: 'DEPUTY_DIRECTOR' as Role, count: 1 }] : []),
        { role: 'MEMBER', count: total - 1 - deputy },
      ];
}

const seatMap = (seats: { role: Role; count: number }[]) =>
  Object.fromEntries(seats.map((s) => [s.role, s.count])) as Partial<Record<Role, number>>;

/** A pilot's reviews end the same way for both of a person's candidacies. */
function withReviews(rng: Rng, candidates: SeedCandidate[], outcomes: Map<string, SeedReviewOutcome>): SeedCandidate[] {
  return candidates.map((c) => {
    let review = outcomes.get(c.personKey);
    if (!review) {
      review = rng.chance(DISQUALIFIED_SHARE) ? { outcome: 'DISQUALIFIED', bar: rng.pick(BARS) } : { outcome: 'CLEARED' };
      outcomes.set(c.personKey, review);
    }
    return { ...c, review };
  });
}

export function unitElections(seed: number, unit: SeedUnit, pool: UnitPool, pilot: boolean): SeedElection[] {
  const rng = new Rng(seed, `elections:${unit.code}`);
  const stages = STAGES[pilot ? 'PILOT' : rng.weighted(UNIT_STAGES)];
  const vcKind = unit.kind === 'VILLAGE' ? 'VILLAGERS' : 'RESIDENTS';
  const partySeats = seatsOf(pool.terms[0].positions, 'PARTY');
  const vcSeats = seatsOf(pool.terms[1].positions, 'VC');
  // Pilots vote first; elsewhere the Party election from mid-February, the committee's 7–30 days later.
  const partyDay = pilot ? addDays('2026-02-16', rng.int(0, 6)) : addDays('2026-02-15', rng.int(0, 28));
  const vcDay = pilot ? addDays('2026-03-05', rng.int(0, 10)) : addDays(partyDay, rng.int(7, 30));
  const secretary = secretaryCandidate(rng, pool);
  const nominated = (stage: ElectionStage) => stage !== 'PLANNED';
  const outcomes = new Map<string, SeedReviewOutcome>();
  let party = nominated(stages[0]) ? partyCandidates(rng, pool, seatMap(partySeats), secretary) : [];
  let vc = nominated(stages[1]) ? committeeCandidates(rng, pool, seatMap(vcSeats), secretary) : [];
  if (pilot) {
    party = withReviews(rng, party, outcomes);
    vc = withReviews(rng, vc, outcomes);
  }
  const methods: Weighted<string> =
    unit.kind === 'VILLAGE'
      ? [
          ['VOTERS_ASSEMBLY', 60],
          ['POLLING_STATIONS', 40],
        ]
      : [
          ['VOTERS_ASSEMBLY', 20],
          ['POLLING_STATIONS', 30],
          ['HOUSEHOLD_REPRESENTATIVES', 30],
          ['RESIDENT_REPRESENTATIVES', 20],
        ];
  return [
    {
      key: `e:${unit.code}:PARTY`,
      unitCode: unit.code,
      committeeKind: 'PARTY',
      seats: partySeats,
      electionDay: partyDay > CYCLE_2026.endsOn ? CYCLE_2026.endsOn : partyDay,
      method: 'PARTY_ASSEMBLY',
      partyOrgForm: pool.terms[0].partyOrgForm,
      entitledMembers: entitledMembers(rng, unit),
      stage: stages[0],
      candidates: party,
      voters: [],
      voterListPublishedOn: null,
    },
    {
      key: `e:${unit.code}:${vcKind}`,
      unitCode: unit.code,
      committeeKind: vcKind,
      seats: vcSeats,
      electionDay: vcDay > CYCLE_2026.endsOn ? CYCLE_2026.endsOn : vcDay,
      method: rng.weighted(methods),
      partyOrgForm: null,
      entitledMembers: null,
      stage: stages[1],
      candidates: vc,
      voters: [],
      voterListPublishedOn: null,
    },
  ];
}
