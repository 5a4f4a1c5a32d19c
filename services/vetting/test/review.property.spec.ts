import fc from 'fast-check';
import { DomainError } from '@huanjie/platform';
import { DEPARTMENT_CODES, POLICIES, levelPolicy, type DepartmentCode, type ReviewPolicy } from '../src/domain/negative-lists.data';
import { DECISIONS, REVIEW_STATUSES, advance, checkConclusion, checkOpinion, isOpen, missingDepartments, nextLevel, reopen, type Decision, type OpinionFact, type ReviewState } from '../src/domain/review.rules';

// Property-based tests (fast-check) of the 联审 rules: any sequence of opinions, advances,
// conclusions and reopenings either follows the rules or is refused with a typed error, and the
// review never reaches an undeclared status or a level its policy does not have.

type Action =
  | { kind: 'opinion'; department: DepartmentCode; atLevel: number | null; decision: Decision; item: number; note: boolean }
  | { kind: 'advance' }
  | { kind: 'conclude'; outcome: 'CLEARED' | 'DISQUALIFIED'; cite: boolean; overrule: boolean }
  | { kind: 'reopen' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({
      kind: fc.constant('opinion' as const),
      department: fc.constantFrom(...DEPARTMENT_CODES),
      // Mostly a department the current level asks (by index), sometimes any department.
      atLevel: fc.option(fc.nat(20), { nil: null, freq: 5 }),
      decision: fc.oneof({ arbitrary: fc.constant<Decision>('CLEAR'), weight: 30 }, { arbitrary: fc.constantFrom<Decision>(...DECISIONS), weight: 2 }),
      item: fc.nat(20),
      note: fc.boolean(),
    }),
    weight: 8,
  },
  { arbitrary: fc.constant({ kind: 'advance' as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('conclude' as const), outcome: fc.constantFrom('CLEARED' as const, 'DISQUALIFIED' as const), cite: fc.boolean(), overrule: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'reopen' as const }), weight: 1 },
);

function attempt<T>(fn: () => T): { value?: T; error?: DomainError } {
  try {
    return { value: fn() };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { error };
  }
}

const TYPED = ['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN'];

it('any sequence of review actions follows the rules or is refused with a typed error, never reaching an undeclared status or level', () => {
  const reached = { CLEARED: 0, DISQUALIFIED: 0, reopened: 0, advanced: 0 };
  fc.assert(
    fc.property(fc.constantFrom(...POLICIES), fc.array(action, { minLength: 30, maxLength: 80, size: 'max' }), (policy: ReviewPolicy, actions) => {
      const levels = policy.levels.map((l) => l.level);
      let review: ReviewState = { status: 'OPEN', level: levels[0]!, round: 1 };
      let opinions: (OpinionFact & { round: number })[] = [];
      let seq = 0;
      const negatives = policy.items.filter((i) => i.kind === 'NEGATIVE');
      for (const a of actions) {
        const before = { ...review };
        if (a.kind === 'opinion') {
          const item = negatives[a.item % negatives.length]!;
          const itemCodes = a.decision === 'CLEAR' ? [] : [item.code];
          const asked = levelPolicy(policy, review.level)?.departments ?? [];
          const department = a.atLevel !== null && asked.length ? asked[a.atLevel % asked.length]! : a.department;
          const r = attempt(() => checkOpinion(policy, review, { roles: ['REVIEWER'], department }, { decision: a.decision, itemCodes, note: a.note ? '核查所见' : '' }));
          if (r.error) {
            expect(TYPED).toContain(r.error.code);
            if (!isOpen(review.status)) expect(r.error.rule).toBe('REVIEW.CONCLUDED');
          } else {
            expect(isOpen(review.status)).toBe(true);
            expect(asked).toContain(department);
            for (const o of opinions) if (o.department === department && o.level === review.level) o.current = false;
            opinions.push({ id: `op-${++seq}`, level: review.level, department, decision: a.decision, itemCodes, current: true, round: review.round });
          }
        } else if (a.kind === 'advance') {
          const r = attempt(() => advance(policy, review, opinions));
          if (r.error) {
            expect(r.error.code).toBe('CONFLICT');
          } else {
            expect(isOpen(review.status)).toBe(true);
            expect(missingDepartments(policy, review.level, opinions)).toEqual([]);
            expect(r.value).toBe(nextLevel(policy, review.level));
            review = { ...review, level: r.value! };
            reached.advanced++;
          }
        } else if (a.kind === 'conclude') {
          const cited = opinions.filter((o) => o.current && o.decision !== 'CLEAR');
          const input = {
            outcome: a.outcome,
            itemCodes: a.outcome === 'DISQUALIFIED' && a.cite ? [...new Set(cited.flatMap((o) => o.itemCodes))] : [],
            opinionIds: a.outcome === 'DISQUALIFIED' && a.cite ? cited.map((o) => o.id) : [],
            overruleReason: a.overrule ? '经集体研究认为不构成否决情形' : null,
          };
          const r = attempt(() => checkConclusion(policy, review, opinions, input));
          if (r.error) {
            expect(TYPED).toContain(r.error.code);
          } else {
            expect(isOpen(review.status)).toBe(true);
            if (a.outcome === 'CLEARED') {
              expect(review.level).toBe(levels.at(-1));
              expect(missingDepartments(policy, review.level, opinions)).toEqual([]);
              const bars = opinions.filter((o) => o.current && o.decision === 'BAR');
              expect(bars.every((o) => o.itemCodes.every((c) => policy.items.find((i) => i.code === c)?.effect !== 'BARS'))).toBe(true);
              if (bars.length > 0) expect(r.value!.overruleReason).toBeTruthy();
            } else {
              expect(r.value!.itemCodes.length).toBeGreaterThan(0);
              expect(r.value!.opinionIds.length).toBeGreaterThan(0);
            }
            review = { ...review, status: r.value!.outcome };
            reached[r.value!.outcome]++;
          }
        } else {
          const r = attempt(() => reopen(policy, review));
          if (r.error) {
            expect(r.error).toMatchObject({ code: 'CONFLICT', rule: 'REVIEW.NOT_CONCLUDED' });
            expect(isOpen(review.status)).toBe(true);
          } else {
            expect(isOpen(review.status)).toBe(false);
            expect(r.value!.round).toBe(review.round + 1);
            review = r.value!;
            reached.reopened++;
            // Earlier rounds' opinions stay on record but no longer count.
            for (const o of opinions) o.current = false;
          }
        }
        expect(REVIEW_STATUSES).toContain(review.status);
        expect(levels).toContain(review.level);
        if (before.status === review.status && before.level === review.level) expect(review.round).toBe(before.round);
      }
      opinions = [];
    }),
    { numRuns: 300 },
  );
  // The sequences reach every kind of move, not only refusals.
  for (const [what, n] of Object.entries(reached)) expect(`${what}: ${n > 20 ? 'reached' : n}`).toBe(`${what}: reached`);
});
