/**
 * The generated city as plain data: what the loader sends, in the graph's own vocabulary (enum
 * values as the schema spells them). People, elections and the rest refer to each other by local
 * keys; the loader maps keys to the ids the services hand out.
 */

export type Scale = 'city' | 'district' | 'village';
export type UnitKind = 'PROVINCE' | 'CITY' | 'DISTRICT' | 'COUNTY' | 'TOWN' | 'SUBDISTRICT' | 'VILLAGE' | 'COMMUNITY';
export type Gender = 'MALE' | 'FEMALE';
export type Education = 'PRIMARY' | 'JUNIOR_SECONDARY' | 'SENIOR_SECONDARY' | 'COLLEGE' | 'BACHELOR' | 'MASTER' | 'DOCTORATE';
export type PoliticalStatus = 'PARTY_MEMBER' | 'PROBATIONARY_MEMBER' | 'LEAGUE_MEMBER' | 'DEMOCRATIC_PARTY' | 'MASSES';
export type CommitteeKind = 'PARTY' | 'VILLAGERS' | 'RESIDENTS';
export type PartyOrgForm = 'BRANCH' | 'GENERAL_BRANCH' | 'COMMITTEE';
export type Role = 'SECRETARY' | 'DEPUTY_SECRETARY' | 'PARTY_MEMBER_SEAT' | 'DIRECTOR' | 'DEPUTY_DIRECTOR' | 'MEMBER' | 'WOMEN_MEMBER';

export interface SeedUnit {
  code: string;
  name: string;
  kind: UnitKind;
  /** 1 province … 5 village/community. */
  level: number;
  /** The township's code for a village or community, the district's for a township, … */
  parentCode: string | null;
}

/** Why the person is in the register. */
export type PersonCategory = 'MEMBER' | 'RESERVE' | 'PROSPECT';

export interface SeedPerson {
  /** Local key, unique in the data set. */
  key: string;
  category: PersonCategory;
  unitCode: string;
  name: string;
  idNumber: string;
  gender: Gender;
  birthDate: string;
  ethnicity: string;
  education: Education;
  politicalStatus: PoliticalStatus;
  partyJoinedOn: string | null;
  professionalBackgrounds: string[];
  sourceTags: string[];
  reserve: boolean;
  reserveSince: string | null;
  phone: string | null;
}

export interface SeedSeat {
  personKey: string;
  role: Role;
}

/** A committee's term in office: the 2021 committees. */
export interface SeedTerm {
  unitCode: string;
  committeeKind: CommitteeKind;
  partyOrgForm: PartyOrgForm | null;
  startsOn: string;
  positions: SeedSeat[];
}

export type ElectionStage = 'PLANNED' | 'NOMINATING' | 'VETTING' | 'VOTER_REGISTRATION';

/** How a candidate's 联审 ends in the data set (pilot units only; the others stay under review). */
export interface SeedReviewOutcome {
  outcome: 'CLEARED' | 'DISQUALIFIED';
  /** DISQUALIFIED: the department that bars, at the county level, and the 十不选 item it finds. */
  bar?: { department: string; itemCode: string; note: string };
}

export interface SeedCandidate {
  personKey: string;
  role: Role;
  gender: Gender;
  nominatedBy: 'PARTY_MEMBERS' | 'VILLAGERS' | 'HOUSEHOLDS' | 'ORGANISATION' | 'SELF';
  recommendations: number;
  review?: SeedReviewOutcome;
}

/** 承诺书: a candidate's (per election) or a unit secretary's (per cycle), 002: "100%签订". */
export interface SeedPledge {
  personKey: string;
  kind: 'CANDIDATE' | 'UNIT_SECRETARY';
  unitCode: string;
  electionKey: string | null;
  signedOn: string;
}

export interface SeedVoter {
  name: string;
  idNumber: string;
  household: string;
  basis: 'HUKOU_RESIDENT' | 'HUKOU' | 'NON_HUKOU_RESIDENT';
  residentSince?: string;
  approvedOn?: string;
}

export interface SeedElection {
  key: string;
  unitCode: string;
  committeeKind: CommitteeKind;
  seats: { role: Role; count: number }[];
  electionDay: string;
  method: string;
  partyOrgForm: PartyOrgForm | null;
  entitledMembers: number | null;
  /** How far it has gone by the snapshot day. */
  stage: ElectionStage;
  candidates: SeedCandidate[];
  /** VOTER_REGISTRATION: the roll (imported as CSV) and the day it was put up. */
  voters: SeedVoter[];
  voterListPublishedOn: string | null;
}

export type ComplaintTarget =
  | 'RECEIVED'
  | 'ACCEPTED'
  | 'ASSIGNED'
  | 'INVESTIGATING'
  | 'UNSUBSTANTIATED'
  | 'SUBSTANTIATED'
  | 'CLOSED_UNSUBSTANTIATED'
  | 'CLOSED_SUBSTANTIATED'
  | 'REJECTED';

export interface SeedComplaint {
  key: string;
  unitCode: string;
  channel: string;
  category: string;
  summary: string;
  electionKey: string | null;
  subjectPersonKeys: string[];
  complainant: { name: string; contact: string } | null;
  /** Where its workflow stands on the snapshot day. */
  target: ComplaintTarget;
  investigator: string;
}

export interface SeedRiskItem {
  unitCode: string;
  type: string;
  level: 'LOW' | 'MEDIUM' | 'HIGH';
  title: string;
  ownerPersonKey: string;
  mitigationPlan: string;
  /** The review date, in days after the day of the load (it may not lie in the past). */
  reviewInDays: number;
}

export interface SeedSession {
  regionCode: string;
  /** Fixed dates, or (sessions with a roll, which takes names only until a session ends) days from the day of the load. */
  dates: { startsOn: string; endsOn: string } | { startsInDays: number; lengthDays: number };
  place: string;
  trainer: string;
  mode: 'ROLL' | 'HEAD_COUNT';
  capacity: number | null;
  /** HEAD_COUNT: participants recorded. */
  participants: number | null;
  /** ROLL: who is enrolled. */
  enrolPersonKeys: string[];
}

export interface SeedCourse {
  key: string;
  regionCode: string;
  name: string;
  type: 'ELECTION_WORKER' | 'POLICY_BRIEFING' | 'ROTATION';
  audiences: string[];
  required: boolean;
  hours: number;
  sessions: SeedSession[];
}

export interface SeedCycle {
  name: string;
  regionCode: string;
  termYears: number;
  startsOn: string;
  endsOn: string;
}

export interface SeedData {
  scale: Scale;
  seed: number;
  snapshotDay: string;
  /** Parents before children. */
  units: SeedUnit[];
  people: SeedPerson[];
  terms: SeedTerm[];
  cycle: SeedCycle;
  /** Units in the cycle's pilot group (先行试点), furthest along. */
  pilotUnitCodes: string[];
  elections: SeedElection[];
  pledges: SeedPledge[];
  complaints: SeedComplaint[];
  riskItems: SeedRiskItem[];
  courses: SeedCourse[];
  /** 10% of Chengdu's policy briefings are generated (their number would dwarf everything else). */
  briefingSampling: number;
}
