import { personName } from './names';
import { Rng, type Weighted } from './prng';
import type { ComplaintTarget, SeedComplaint, SeedElection, SeedPerson, SeedUnit } from './types';

/**
 * 信访举报 of the cycle. Against candidates: 003 (都江堰), "对涉及有信访反映的24名参选人员进行了专题
 * 调查" among 1,722 reviewed — 1.4% of candidacies. About units, naming nobody: choice, one unit in
 * twelve. Channels (001/003 publish hotlines and an e-mail address), categories and how far each case
 * has gone are a choice; 三个一律 follows from the substantiated vote-buying ones.
 */
export const CANDIDATE_COMPLAINT_SHARE = 24 / 1722;
export const UNIT_COMPLAINT_SHARE = 1 / 12;

const CHANNELS: Weighted<string> = [
  ['HOTLINE', 35],
  ['VISIT', 20],
  ['LETTER', 15],
  ['ONLINE', 15],
  ['EMAIL', 5],
  ['SUPERVISION_GROUP', 5],
  ['REFERRAL_12345', 5],
];
const ABOUT_CANDIDATES: Weighted<string> = [
  ['VOTE_BUYING', 35],
  ['ELIGIBILITY', 25],
  ['CONDUCT', 20],
  ['CLAN_INTERFERENCE', 10],
  ['FINANCES', 10],
];
const ABOUT_UNITS: Weighted<string> = [
  ['PROCEDURE', 40],
  ['FINANCES', 25],
  ['CONDUCT', 15],
  ['OTHER', 20],
];
const TARGETS: Weighted<ComplaintTarget> = [
  ['RECEIVED', 10],
  ['ACCEPTED', 10],
  ['ASSIGNED', 15],
  ['INVESTIGATING', 20],
  ['UNSUBSTANTIATED', 5],
  ['SUBSTANTIATED', 3],
  ['CLOSED_UNSUBSTANTIATED', 25],
  ['CLOSED_SUBSTANTIATED', 7],
  ['REJECTED', 5],
];

const SUMMARIES: Record<string, (unit: string, who: string) => string> = {
  VOTE_BUYING: (u, w) => `反映${u}参选人${w}在推荐提名前逐户走访并赠送烟酒拉票`,
  ELIGIBILITY: (u, w) => `反映${u}拟推荐人选${w}长期不在村(社区)居住,不符合参选条件`,
  CONDUCT: (u, w) => `反映${u}${w}工作作风粗暴、群众意见较大`,
  CLAN_INTERFERENCE: (u, w) => `反映${u}有宗族势力为${w}串联拉票,干扰选举`,
  FINANCES: (u, w) => (w ? `反映${u}${w}任职期间集体资金使用不公开` : `反映${u}集体资产出租收益未按规定公开`),
  PROCEDURE: (u) => `反映${u}选民登记未按规定张榜公布`,
  OTHER: (u) => `反映${u}换届宣传不到位,部分群众不了解选举时间`,
};

export function unitComplaints(
  seed: number,
  unit: SeedUnit,
  elections: readonly SeedElection[],
  people: ReadonlyMap<string, SeedPerson>,
  pilot: boolean,
): SeedComplaint[] {
  const rng = new Rng(seed, `complaints:${unit.code}`);
  const out: SeedComplaint[] = [];
  const base = (category: string) => ({
    key: `c:${unit.code}:${out.length}`,
    unitCode: unit.code,
    channel: rng.weighted(CHANNELS),
    category,
    // 40% named (choice); named complainants are stored encrypted and shown to DISCIPLINE only.
    // Their names are given once every register is known (distinctComplainants).
    complainant: rng.chance(0.4)
      ? { name: '', contact: `1${rng.pick(['3', '5', '8'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}` }
      : null,
    target: rng.weighted(TARGETS),
    investigator: `jiwei-${unit.code.slice(0, 6)}-${rng.int(1, 12)}`,
  });
  // The pilots' reviews are concluded by the load itself; complaints there would race them.
  if (!pilot) {
    for (const election of elections) {
      for (const c of election.candidates) {
        if (!rng.chance(CANDIDATE_COMPLAINT_SHARE)) continue;
        const category = rng.weighted(ABOUT_CANDIDATES);
        const who = people.get(c.personKey)!.name;
        out.push({
          ...base(category),
          summary: SUMMARIES[category]!(unit.name, who),
          electionKey: election.key,
          subjectPersonKeys: [c.personKey],
        });
      }
    }
  }
  if (rng.chance(UNIT_COMPLAINT_SHARE)) {
    const category = rng.weighted(ABOUT_UNITS);
    const election = elections.find((e) => e.committeeKind !== 'PARTY')!;
    out.push({
      ...base(category),
      summary: SUMMARIES[category]!(unit.name, ''),
      electionKey: category === 'PROCEDURE' ? election.key : null,
      subjectPersonKeys: [],
    });
  }
  return out;
}

/**
 * Names the named complainants, none of them the name of a registered person or a part of one: a
 * complainant is confidential, and a name that also appears where names are public (PersonRegistered
 * carries a person's) would be indistinguishable from a leak to anyone checking that none occur.
 */
export function nameComplainants(seed: number, complaints: readonly SeedComplaint[], people: readonly SeedPerson[]): void {
  const taken = new Set<string>();
  for (const { name } of people) {
    const chars = [...name];
    for (let i = 0; i < chars.length; i++) for (let j = i + 2; j <= chars.length; j++) taken.add(chars.slice(i, j).join(''));
  }
  for (const c of complaints) {
    if (!c.complainant) continue;
    const rng = new Rng(seed, `complainant:${c.key}`);
    let name: string;
    do name = personName(rng, rng.chance(0.5) ? 'MALE' : 'FEMALE', 1960 + rng.int(0, 40));
    while (taken.has(name));
    taken.add(name);
    c.complainant.name = name;
  }
}
