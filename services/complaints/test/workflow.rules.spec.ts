import { DomainError } from '@huanjie/platform';
import { allowedEvents, allowedEventsFor, COMPLAINT_STATUSES, OPEN_STATUSES, STATUS_KIND, transition, WORKFLOW_EVENTS, type ComplaintStatus } from '../src/domain/workflow.rules';
import {
  DEADLINE_POLICIES,
  escalate,
  extendDeadline,
  firstResponseDue,
  handleDue,
  overdueDeadline,
  policyFor,
  supervisingRegion,
  type DeadlinePolicy,
} from '../src/domain/deadlines.rules';
import { checkRiskItem, highestLevel, reviewOverdue } from '../src/domain/risk.rules';
import { checkResolution, villageShare } from '../src/domain/requests.rules';

const DISCIPLINE = { roles: ['DISCIPLINE'] };
const ORG_ADMIN = { roles: ['ORG_ADMIN'] };

function failure(fn: () => unknown): { code: string; rule: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, rule: error.rule, details: error.details };
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('the workflow state machine', () => {
  it('walks RECEIVED → ACCEPTED → ASSIGNED → INVESTIGATING → SUBSTANTIATED → CLOSED', () => {
    const path: [ComplaintStatus, (typeof WORKFLOW_EVENTS)[number], string | null][] = [
      ['RECEIVED', 'ACCEPT', null],
      ['ACCEPTED', 'ASSIGN', null],
      ['ASSIGNED', 'START_INVESTIGATION', null],
      ['INVESTIGATING', 'SUBSTANTIATE', '查实收受财物'],
      ['SUBSTANTIATED', 'CLOSE', '取消资格,移送处理'],
    ];
    const reached = path.map(([from, event, reason]) => transition(from, event, DISCIPLINE, reason).to);
    expect(reached).toEqual(['ACCEPTED', 'ASSIGNED', 'INVESTIGATING', 'SUBSTANTIATED', 'CLOSED']);
    expect(transition('INVESTIGATING', 'UNSUBSTANTIATE', DISCIPLINE, '经核查不属实').to).toBe('UNSUBSTANTIATED');
    expect(transition('RECEIVED', 'REJECT', ORG_ADMIN, '不属于换届纪律范围').to).toBe('REJECTED');
    expect(transition('ASSIGNED', 'MERGE', ORG_ADMIN, '重复举报').to).toBe('MERGED');
    expect(transition('INVESTIGATING', 'ASSIGN', ORG_ADMIN).to).toBe('INVESTIGATING'); // reassigning does not restart the investigation
  });

  it('types every state OPEN, FINDING or CLOSED; closed states accept nothing', () => {
    expect(COMPLAINT_STATUSES.map((s) => [s, STATUS_KIND[s]])).toEqual([
      ['RECEIVED', 'OPEN'],
      ['ACCEPTED', 'OPEN'],
      ['ASSIGNED', 'OPEN'],
      ['INVESTIGATING', 'OPEN'],
      ['SUBSTANTIATED', 'FINDING'],
      ['UNSUBSTANTIATED', 'FINDING'],
      ['REJECTED', 'CLOSED'],
      ['MERGED', 'CLOSED'],
      ['CLOSED', 'CLOSED'],
    ]);
    for (const s of ['REJECTED', 'MERGED', 'CLOSED'] as const) expect(allowedEvents(s)).toEqual([]);
    expect([...OPEN_STATUSES].sort()).toEqual(['ACCEPTED', 'ASSIGNED', 'INVESTIGATING', 'RECEIVED', 'SUBSTANTIATED']);
  });

  it('refuses every illegal transition with CONFLICT naming the allowed events', () => {
    let illegal = 0;
    for (const status of COMPLAINT_STATUSES) {
      for (const event of WORKFLOW_EVENTS) {
        if (allowedEvents(status).includes(event)) continue;
        illegal++;
        const f = failure(() => transition(status, event, DISCIPLINE, '理由充分'));
        expect(f).toEqual({ code: 'CONFLICT', rule: 'COMPLAINT.ILLEGAL_TRANSITION', details: { status, event, allowedEvents: allowedEvents(status) } });
      }
    }
    expect(illegal).toBe(9 * 8 - 13); // 13 legal pairs
    expect(allowedEvents('RECEIVED')).toEqual(['ACCEPT', 'REJECT', 'MERGE']);
  });

  it('leaves findings to DISCIPLINE and asks a reason where the step records why', () => {
    expect(failure(() => transition('INVESTIGATING', 'SUBSTANTIATE', ORG_ADMIN, '查实'))).toMatchObject({ code: 'FORBIDDEN', rule: 'AUTH.ROLE' });
    expect(failure(() => transition('ASSIGNED', 'START_INVESTIGATION', { roles: ['TOWN_OFFICER'] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(failure(() => transition('RECEIVED', 'REJECT', ORG_ADMIN, ' '))).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'COMPLAINT.REASON_REQUIRED' });
    expect(allowedEventsFor('INVESTIGATING', ['ORG_ADMIN'])).toEqual(['ASSIGN']);
    expect(allowedEventsFor('INVESTIGATING', ['DISCIPLINE'])).toEqual(['ASSIGN', 'SUBSTANTIATE', 'UNSUBSTANTIATE']);
  });
});

describe('deadlines', () => {
  const national = policyFor('51.5101.510107.510107001.510107001002');
  // 2026-03-02 23:30 in Beijing.
  const received = new Date('2026-03-02T15:30:00Z');

  it('during an election period: the first response within 24 hours (日结日清不过夜)', () => {
    expect(firstResponseDue(received, true, national).toISOString()).toBe('2026-03-03T15:30:00.000Z');
  });

  it('otherwise 15 Beijing calendar days, due at the end of the last; handling 60 days from acceptance', () => {
    expect(firstResponseDue(received, false, national).toISOString()).toBe('2026-03-17T15:59:59.999Z'); // 17 March 23:59:59.999 in Beijing
    expect(handleDue(new Date('2026-03-02T17:00:00Z'), false, national).toISOString()).toBe('2026-05-02T15:59:59.999Z'); // accepted 3 March (Beijing) + 60 days
  });

  it('takes the policy of the longest region prefix', () => {
    const policies: DeadlinePolicy[] = [...DEADLINE_POLICIES, { ...DEADLINE_POLICIES[0]!, id: 'CHENGDU', regionPath: '51.5101', ordinary: { firstResponseDays: 7, handleDays: 30 } }];
    expect(policyFor('51.5101.510107', policies).id).toBe('CHENGDU');
    expect(policyFor('51.5103.510304', policies).id).toBe('NATIONAL');
  });

  it('extends the handling deadline once, by at most 30 days, with a reason', () => {
    const c = { status: 'INVESTIGATING' as const, handleDue: new Date('2026-05-02T15:59:59.999Z'), extensions: 0 };
    expect(extendDeadline(c, 30, '案情复杂', national).toISOString()).toBe('2026-06-01T15:59:59.999Z');
    expect(failure(() => extendDeadline({ ...c, extensions: 1 }, 10, '案情复杂', national)).rule).toBe('COMPLAINT.EXTENSION_USED');
    expect(failure(() => extendDeadline(c, 31, '案情复杂', national)).rule).toBe('COMPLAINT.EXTENSION_DAYS');
    expect(failure(() => extendDeadline(c, 10, '', national)).rule).toBe('COMPLAINT.REASON_REQUIRED');
    expect(failure(() => extendDeadline({ ...c, status: 'RECEIVED', handleDue: null }, 10, '案情复杂', national)).rule).toBe('COMPLAINT.NOT_EXTENDABLE');
  });

  it('is overdue on the first response while RECEIVED, on handling while accepted and not yet found', () => {
    const due = new Date('2026-03-03T00:00:00Z');
    const later = new Date('2026-03-03T00:00:01Z');
    expect(overdueDeadline({ status: 'RECEIVED', firstResponseDue: due, handleDue: null }, due)).toBeNull();
    expect(overdueDeadline({ status: 'RECEIVED', firstResponseDue: due, handleDue: null }, later)).toBe('FIRST_RESPONSE');
    expect(overdueDeadline({ status: 'ASSIGNED', firstResponseDue: new Date(0), handleDue: due }, later)).toBe('HANDLING');
    expect(overdueDeadline({ status: 'SUBSTANTIATED', firstResponseDue: new Date(0), handleDue: due }, later)).toBeNull();
  });

  it('escalates town → district → city, then no further; the supervising region follows', () => {
    expect([escalate('TOWN'), escalate('DISTRICT'), escalate('CITY')]).toEqual(['DISTRICT', 'CITY', null]);
    const path = '51.5101.510107.510107001.510107001002';
    expect([supervisingRegion(path, 'TOWN'), supervisingRegion(path, 'DISTRICT'), supervisingRegion(path, 'CITY')]).toEqual([
      '51.5101.510107.510107001',
      '51.5101.510107',
      '51.5101',
    ]);
  });
});

describe('the risk register and residents’ requests', () => {
  it('finds the highest open level, checks items and their review dates', () => {
    expect(highestLevel(['LOW', 'HIGH', 'MEDIUM'])).toBe('HIGH');
    expect(highestLevel([])).toBeNull();
    const item = { type: 'PETITIONS' as const, level: 'HIGH' as const, title: '长期上访户', ownerPersonId: '00000000-0000-4000-8000-000000000001', mitigationPlan: '一对一包联谈话', reviewOn: '2026-03-10' };
    expect(checkRiskItem(item, '2026-03-02').title).toBe('长期上访户');
    expect(failure(() => checkRiskItem({ ...item, reviewOn: '2026-03-01' }, '2026-03-02')).rule).toBe('RISK.REVIEW_ON');
    expect(failure(() => checkRiskItem({ ...item, mitigationPlan: '' }, '2026-03-02')).rule).toBe('RISK.PLAN');
    expect(reviewOverdue({ status: 'MITIGATING', reviewOn: '2026-03-01' }, '2026-03-02')).toBe(true);
    expect(reviewOverdue({ status: 'RESOLVED', reviewOn: '2026-03-01' }, '2026-03-02')).toBe(false);
  });

  it('counts the village share of resolved requests (Baoshan: 90% of 13,554)', () => {
    expect(villageShare({ resolved: 13_554, resolvedInVillage: 12_199 })).toBeCloseTo(0.9, 3);
    expect(villageShare({ resolved: 0, resolvedInVillage: 0 })).toBeNull();
    expect(failure(() => checkResolution({ resolvedOn: null, raisedOn: '2026-03-02' }, 'VILLAGE', '2026-03-01', '2026-03-05')).rule).toBe('REQUEST.RESOLVED_ON');
    expect(failure(() => checkResolution({ resolvedOn: '2026-03-03', raisedOn: '2026-03-02' }, 'VILLAGE', '2026-03-04', '2026-03-05')).code).toBe('CONFLICT');
  });
});
