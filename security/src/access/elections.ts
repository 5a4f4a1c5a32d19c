import type { Role } from '@huanjie/platform';
import type { AccessTable } from './types';

/** Every role reads elections within its region scope (AUDITOR included: read-only). */
const READERS: readonly Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'CIVIL_AFFAIRS', 'REVIEWER', 'TOWN_OFFICER', 'TRAINER', 'AUDITOR'];
/** Who runs an election: the organisation department, the town, civil affairs (民政). */
const MANAGERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER', 'CIVIL_AFFAIRS'];
/** Who reports 换届 progress: the towns (日报告) and the organisation department. */
const REPORTERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

/** elections: who may call each of its queries and mutations. */
export const electionsAccess: AccessTable = {
  electionCycle: { service: 'elections', roles: READERS, region: 'subtree', note: '换届周期 — one cycle by id; a cycle declared for a region above the caller\'s (covering it) is visible too' },
  election: { service: 'elections', roles: READERS, region: 'subtree', note: '选举 — one election by id' },
  elections: { service: 'elections', roles: READERS, region: 'subtree', note: '选举列表 — elections within the caller\'s region' },
  candidate: { service: 'elections', roles: READERS, region: 'subtree', note: '候选人 — one candidacy by id' },
  electionRules: { service: 'elections', roles: READERS, region: 'open', note: '选举规则 — the law\'s rules for a committee kind, day and region' },
  transition: { service: 'elections', roles: READERS, region: 'subtree', note: '换届进度 — one unit\'s transition by id' },
  transitionProgress: { service: 'elections', roles: READERS, region: 'subtree', note: '换届进度报表 — the progress report of a region; a region outside the caller\'s is refused' },
  voterRoll: { service: 'elections', roles: READERS, region: 'subtree', note: '选民名单 — an election\'s voter roll (ID numbers masked)' },
  electionsAuditLog: { service: 'elections', roles: ['AUDITOR'], region: 'subtree', note: '审计日志 — elections\' audit records of a region; a region outside the caller\'s is refused' },
  createElectionCycle: { service: 'elections', roles: ['ORG_ADMIN'], region: 'subtree', note: '部署换届周期 — a cycle for a region in scope' },
  createElection: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '部署选举 — a regular election of a unit in scope' },
  advanceElection: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '推进选举 — one procedural step' },
  nominateCandidate: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '推荐提名 — while the election is NOMINATING' },
  withdrawCandidate: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '候选人退出 — before the polls open' },
  enterTallySheet: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '录入计票单 — one clerk\'s entry (the clerk is the caller); a second clerk\'s matching entry accepts it' },
  closeCount: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '结束计票 — the result from the accepted sheets' },
  certifyElection: { service: 'elections', roles: ['ORG_ADMIN', 'CIVIL_AFFAIRS'], region: 'subtree', note: '确认选举结果 — certify a tallied election' },
  openTransitions: { service: 'elections', roles: ['ORG_ADMIN'], region: 'subtree', note: '部署换届进度 — open units\' transitions in a cycle' },
  completeTransitionStep: { service: 'elections', roles: REPORTERS, region: 'subtree', note: '完成环节 — record a step as done' },
  setTransitionBlocked: { service: 'elections', roles: REPORTERS, region: 'subtree', note: '设置受阻 — hold a transition, or lift the hold' },
  registerVoter: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '选民登记 — one voter onto a roll' },
  publishVoterList: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '公布选民名单 — the day the list was put up' },
  fileVoterObjection: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '申诉 — record an objection to the published list' },
  decideVoterObjection: { service: 'elections', roles: MANAGERS, region: 'subtree', note: '处理申诉 — decide an objection' },
};
