import fc from 'fast-check';
import { DomainError } from '@huanjie/platform';
import { COMPLAINT_STATUSES, EVENT_ROLES, MAX_REASON, MIN_REASON, STATUS_KIND, WORKFLOW_EVENTS, allowedEvents, transition, type ComplaintStatus } from '../src/domain/workflow.rules';

// Property-based tests (fast-check) of the 信访举报 workflow: any sequence of (event, caller,
// reason) follows the table or is refused with CONFLICT (illegal move), FORBIDDEN (role) or
// BAD_USER_INPUT (reason), and never reaches an undeclared status.

const ROLES = ['DISCIPLINE', 'ORG_ADMIN', 'TOWN_OFFICER', 'AUDITOR', 'TRAINER'];

it('any sequence of workflow events follows the table or is refused with a typed error', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          event: fc.constantFrom(...WORKFLOW_EVENTS),
          roles: fc.subarray(ROLES),
          reason: fc.option(fc.oneof(fc.string({ maxLength: 5 }), fc.constant(' '.repeat(4)), fc.constant('理由充分'), fc.constant('长'.repeat(MAX_REASON + 1))), { nil: null }),
        }),
        { maxLength: 30 },
      ),
      (steps) => {
        let status: ComplaintStatus = 'RECEIVED';
        for (const step of steps) {
          const before = status;
          const legal = allowedEvents(status).includes(step.event);
          try {
            const out = transition(status, step.event, { roles: step.roles }, step.reason);
            status = out.to;
            expect(legal).toBe(true);
            expect(EVENT_ROLES[step.event].some((r) => step.roles.includes(r))).toBe(true);
            if (out.reason !== null) expect(Array.from(out.reason).length).toBeGreaterThanOrEqual(1);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            const e = error as DomainError;
            if (!legal) expect(e).toMatchObject({ code: 'CONFLICT', rule: 'COMPLAINT.ILLEGAL_TRANSITION' });
            else if (!EVENT_ROLES[step.event].some((r) => step.roles.includes(r))) expect(e.code).toBe('FORBIDDEN');
            else expect(e.code).toBe('BAD_USER_INPUT');
            expect(status).toBe(before);
          }
          expect(COMPLAINT_STATUSES).toContain(status);
          if (STATUS_KIND[before] === 'CLOSED') expect(status).toBe(before);
        }
      },
    ),
    { numRuns: 3000 },
  );
});

it('a required reason is at least MIN_REASON characters after trimming', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: MIN_REASON + 2 }), (reason) => {
      try {
        transition('RECEIVED', 'REJECT', { roles: ['DISCIPLINE'] }, reason);
        expect(Array.from(reason.trim()).length).toBeGreaterThanOrEqual(MIN_REASON);
      } catch (error) {
        expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(Array.from(reason.trim()).length).toBeLessThan(MIN_REASON);
      }
    }),
  );
});
