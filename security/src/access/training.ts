import type { Role } from '@huanjie/platform';
import type { AccessTable } from './types';

/** Reads of training: every role with a token, within its region scope (TRAINING.md "Who may do what"). */
const EVERYONE: readonly Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'CIVIL_AFFAIRS', 'REVIEWER', 'TOWN_OFFICER', 'TRAINER', 'AUDITOR'];
/** Courses, sessions, roll calls, results, head counts: the trainers and the organisation department. */
const TRAINERS: readonly Role[] = ['TRAINER', 'ORG_ADMIN'];
/** Enrolling and cancelling: also the town, who sends its cadres. */
const ENROLLERS: readonly Role[] = ['TRAINER', 'ORG_ADMIN', 'TOWN_OFFICER'];
/** The 十个一 checklist and 老带新 pairs: the organisation department and the town, who guide new committees. */
const GUIDES: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

// Courses and sessions are 'subtree', not 'open': a caller also sees those run by the regions above
// it (the city's 初任培训班 is for the district's people), but a district's course is its own
// people's business; a sibling district neither sees it nor can enrol anyone in it.

/** training: who may call each of its queries and mutations. */
export const trainingAccess: AccessTable = {
  trainingRecord: { service: 'training', roles: EVERYONE, region: 'subtree', note: '培训档案 — one training file by id' },
  course: { service: 'training', roles: EVERYONE, region: 'subtree', note: '课程 — one course by id; also those run by the regions above the caller' },
  courses: { service: 'training', roles: EVERYONE, region: 'subtree', note: '课程列表 — courses run in scope and by the regions above it' },
  trainingSession: { service: 'training', roles: EVERYONE, region: 'subtree', note: '培训班次 — one session by id; its roll only of people in scope' },
  enrolment: { service: 'training', roles: EVERYONE, region: 'subtree', note: '报名 — one enrolment by id, by the person\'s unit' },
  trainingCoverageReport: { service: 'training', roles: EVERYONE, region: 'subtree', note: '培训覆盖报告 — coverage figures of a region within scope' },
  mentorship: { service: 'training', roles: EVERYONE, region: 'subtree', note: '老带新 — one mentoring pair by id, by the mentee\'s unit' },
  onboardingChecklist: { service: 'training', roles: EVERYONE, region: 'subtree', note: '“十个一”履新任务 — one committee\'s onboarding checklist by id' },
  trainingAuditLog: { service: 'training', roles: ['AUDITOR'], region: 'subtree', note: '审计日志 — training\'s audit records of a region within scope' },
  createCourse: { service: 'training', roles: TRAINERS, region: 'subtree', note: '新建课程 — a course run by a region within scope' },
  setCourseActive: { service: 'training', roles: TRAINERS, region: 'subtree', note: '开放/停用课程 — offer or withdraw a course run within scope (not one from above)' },
  scheduleSession: { service: 'training', roles: TRAINERS, region: 'subtree', note: '安排班次 — a session held within scope, of a course run there or above' },
  recordHeadCount: { service: 'training', roles: TRAINERS, region: 'subtree', note: '人数统计 — head count of a large event held within scope' },
  enrol: { service: 'training', roles: ENROLLERS, region: 'subtree', note: '报名 — enrol a person of a unit within scope in a session the caller sees' },
  cancelEnrolment: { service: 'training', roles: ENROLLERS, region: 'subtree', note: '取消报名 — cancel an enrolment of a person in scope' },
  recordAttendance: { service: 'training', roles: TRAINERS, region: 'subtree', note: '点名 — attendance of seated people in scope' },
  concludeEnrolment: { service: 'training', roles: TRAINERS, region: 'subtree', note: '结业 — conclude an enrolment of a person in scope (certificate, hours)' },
  pairMentor: { service: 'training', roles: GUIDES, region: 'subtree', note: '老带新结对 — pair a mentor with a new secretary of a unit within scope' },
  endMentorship: { service: 'training', roles: GUIDES, region: 'subtree', note: '结束结对 — set the end date of a pair in scope' },
  logMentorshipMeeting: { service: 'training', roles: GUIDES, region: 'subtree', note: '带教记录 — log a meeting of a pair in scope' },
  completeChecklistTask: { service: 'training', roles: GUIDES, region: 'subtree', note: '完成履新任务 — record one of a committee\'s ten tasks in scope' },
};
