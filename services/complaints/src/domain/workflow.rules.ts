import { badInput, DomainError, forbidden, type Role } from '@huanjie/platform';
import { length } from './complaint.rules';

/**
 * 办理流程: the life of a complaint as an explicit state machine, without I/O (in the spirit of
 * FixMyStreet's states). Every state has a kind: OPEN (being handled), FINDING (查实/查否 made,
 * awaiting closure) or CLOSED (out of the workflow). Every transition names who may make it and
 * whether it needs a reason; anything else is refused with CONFLICT naming the allowed events.
 *
 *   RECEIVED ──ACCEPT──▶ ACCEPTED ──ASSIGN──▶ ASSIGNED ──START_INVESTIGATION──▶ INVESTIGATING
 *      │                    │                    │ ASSIGN (reassign)              │ ASSIGN (reassign)
 *      ├─REJECT──▶ REJECTED  │                    │                                ├─SUBSTANTIATE──▶ SUBSTANTIATED ─CLOSE─▶ CLOSED
 *      └─MERGE───▶ MERGED ◀──┴────────MERGE───────┘                                └─UNSUBSTANTIATE▶ UNSUBSTANTIATED ─CLOSE─▶ CLOSED
 */
export const COMPLAINT_STATUSES = [
  'RECEIVED',
  'ACCEPTED',
  'ASSIGNED',
  'INVESTIGATING',
  'SUBSTANTIATED',
  'UNSUBSTANTIATED',
  'REJECTED',
  'MERGED',
  'CLOSED',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export type StatusKind = 'OPEN' | 'FINDING' | 'CLOSED';

export const STATUS_KIND: Record<ComplaintStatus, StatusKind> = {
  RECEIVED: 'OPEN',
  ACCEPTED: 'OPEN',
  ASSIGNED: 'OPEN',
  INVESTIGATING: 'OPEN',
  SUBSTANTIATED: 'FINDING',
  UNSUBSTANTIATED: 'FINDING',
  REJECTED: 'CLOSED',
  MERGED: 'CLOSED',
  CLOSED: 'CLOSED',
};

/**
 * Cases still weighing on a unit or a person: being handled, or substantiated and awaiting what
 * follows (三个一律). Unsubstantiated, rejected, merged and closed cases are done.
 */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['RECEIVED', 'ACCEPTED', 'ASSIGNED', 'INVESTIGATING', 'SUBSTANTIATED'];
/** Still being handled: the deadlines run. */
export const HANDLING_STATUSES: readonly ComplaintStatus[] = ['RECEIVED', 'ACCEPTED', 'ASSIGNED', 'INVESTIGATING'];

export const WORKFLOW_EVENTS = ['ACCEPT', 'REJECT', 'MERGE', 'ASSIGN', 'START_INVESTIGATION', 'SUBSTANTIATE', 'UNSUBSTANTIATE', 'CLOSE'] as const;
export type WorkflowEvent = (typeof WORKFLOW_EVENTS)[number];

/** Who triages (accepts, rejects, merges, assigns): the discipline commission and the organisation department. */
const TRIAGE: readonly Role[] = ['DISCIPLINE', 'ORG_ADMIN'];
/** Who investigates and finds: the discipline commission alone (纪委监委 handles 换届纪律 cases). */
const INVESTIGATORS: readonly Role[] = ['DISCIPLINE'];

interface TransitionRule {
  to: (from: ComplaintStatus) => ComplaintStatus;
  roles: readonly Role[];
  /** A written reason is required (at least MIN_REASON characters). */
  reason: boolean;
}

const TABLE: Record<WorkflowEvent, { from: readonly ComplaintStatus[] } & TransitionRule> = {
  ACCEPT: { from: ['RECEIVED'], to: () => 'ACCEPTED', roles: TRIAGE, reason: false },
  REJECT: { from: ['RECEIVED'], to: () => 'REJECTED', roles: TRIAGE, reason: true },
  MERGE: { from: ['RECEIVED', 'ACCEPTED', 'ASSIGNED'], to: () => 'MERGED', roles: TRIAGE, reason: true },
  ASSIGN: { from: ['ACCEPTED', 'ASSIGNED', 'INVESTIGATING'], to: (from) => (from === 'INVESTIGATING' ? 'INVESTIGATING' : 'ASSIGNED'), roles: TRIAGE, reason: false },
  START_INVESTIGATION: { from: ['ASSIGNED'], to: () => 'INVESTIGATING', roles: INVESTIGATORS, reason: false },
  SUBSTANTIATE: { from: ['INVESTIGATING'], to: () => 'SUBSTANTIATED', roles: INVESTIGATORS, reason: true },
  UNSUBSTANTIATE: { from: ['INVESTIGATING'], to: () => 'UNSUBSTANTIATED', roles: INVESTIGATORS, reason: true },
  CLOSE: { from: ['SUBSTANTIATED', 'UNSUBSTANTIATED'], to: () => 'CLOSED', roles: TRIAGE, reason: true },
};

export const MIN_REASON = 2;
export const MAX_REASON = 2000;

/** The events a case in `status` accepts, in workflow order. */
export function allowedEvents(status: ComplaintStatus): WorkflowEvent[] {
  return WORKFLOW_EVENTS.filter((e) => TABLE[e].from.includes(status));
}

/** The events a case in `status` accepts from a caller with these roles. */
export function allowedEventsFor(status: ComplaintStatus, roles: readonly string[]): WorkflowEvent[] {
  return allowedEvents(status).filter((e) => TABLE[e].roles.some((r) => roles.includes(r)));
}

/**
 * The state after `event`, or CONFLICT COMPLAINT.ILLEGAL_TRANSITION naming the allowed events;
 * FORBIDDEN AUTH.ROLE when the caller may not make it; BAD_USER_INPUT COMPLAINT.REASON_REQUIRED
 * when it needs a reason and has none. Returns the trimmed reason too.
 */
export function transition(
  status: ComplaintStatus,
  event: WorkflowEvent,
  caller: { roles: readonly string[] },
  reason?: string | null,
): { to: ComplaintStatus; reason: string | null } {
  const rule = TABLE[event];
  if (!rule) throw badInput('COMPLAINT.EVENT', `event must be one of ${WORKFLOW_EVENTS.join(', ')}`);
  if (!rule.from.includes(status)) {
    const allowed = allowedEvents(status);
    throw new DomainError(
      'CONFLICT',
      'COMPLAINT.ILLEGAL_TRANSITION',
      `COMPLAINT.ILLEGAL_TRANSITION: a ${status} complaint cannot ${event}; allowed: ${allowed.length ? allowed.join(', ') : 'none (the case is closed)'}`,
      { status, event, allowedEvents: allowed },
    );
  }
  if (!rule.roles.some((r) => caller.roles.includes(r))) {
    throw forbidden('AUTH.ROLE', `${event} requires one of the roles ${rule.roles.join(', ')}`);
  }
  const text = reason?.trim() ?? '';
  if (length(text) > MAX_REASON) throw badInput('COMPLAINT.REASON', `the reason is at most ${MAX_REASON} characters`);
  if (rule.reason && length(text) < MIN_REASON) {
    throw badInput('COMPLAINT.REASON_REQUIRED', `COMPLAINT.REASON_REQUIRED: ${event} records why (理由), at least ${MIN_REASON} characters`);
  }
  return { to: rule.to(status), reason: text.length ? text : null };
}

/** The roles that may make each event (for the documentation and the graph's allowedEvents). */
export const EVENT_ROLES: Record<WorkflowEvent, readonly Role[]> = Object.fromEntries(WORKFLOW_EVENTS.map((e) => [e, TABLE[e].roles])) as Record<WorkflowEvent, readonly Role[]>;
