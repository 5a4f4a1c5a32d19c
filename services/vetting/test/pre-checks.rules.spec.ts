import { ruleOf } from '@huanjie/testkit';
import { preCheckBlocks, runPreCheckRules, type PreCheckFacts } from '../src/domain/pre-checks.rules';
import { SAFEGUARD_POLICY, secretaryAgeLimitFor, type SafeguardPolicy } from '../src/domain/safeguard-policy.data';
import { checkEvaluation, checkFinding, checkPledge, checkSanction, resolveFinding } from '../src/domain/safeguards.rules';

const VILLAGE = '51.5101.510107.510107001.510107001002';

/** Facts of a person about whom nothing is known, standing as a member. */
const facts = (change: Partial<PreCheckFacts> = {}): PreCheckFacts => ({
  today: '2026-03-01',
  role: 'MEMBER',
  regionPath: VILLAGE,
  person: { birthDate: '1970-05-01', gender: 'MALE' },
  evaluations: [],
  admonitions: [],
  sanctions: [],
  complaints: [],
  relativesSeated: [],
  openAuditFindings: [],
  ...change,
});
const evaluation = (dissatisfied: number, total = 100, evaluatedOn = '2026-01-10', id = 'ev-1') => ({
  id,
  evaluatedOn,
  satisfied: total - dissatisfied,
  basicallySatisfied: 0,
  dissatisfied,
});
const only = (f: PreCheckFacts) => runPreCheckRules(f).map((x) => `${x.check}:${x.outcome}:${x.itemCode ?? '-'}`);

describe('nothing known, nothing found', () => {
  it('finds nothing about a member with no records', () => {
    expect(runPreCheckRules(facts())).toEqual([]);
  });
});

describe('secretary age (男满60岁、女满55岁一般不继续提名书记)', () => {
  const secretary = (birthDate: string, gender: 'MALE' | 'FEMALE') => facts({ role: 'SECRETARY', person: { birthDate, gender } });

  it('asks for a decision from the 60th birthday of a man, not the day before', () => {
    expect(only(secretary('1966-03-02', 'MALE'))).toEqual([]); // 59 on 2026-03-01
    expect(only(secretary('1966-03-01', 'MALE'))).toEqual(['SECRETARY_AGE:NEEDS_DECISION:-']);
  });

  it('applies 55 to women', () => {
    expect(only(secretary('1971-03-02', 'FEMALE'))).toEqual([]);
    const [finding] = runPreCheckRules(secretary('1971-03-01', 'FEMALE'));
    expect(finding).toMatchObject({ check: 'SECRETARY_AGE', outcome: 'NEEDS_DECISION' });
    expect(finding!.detail).toContain('55');
    expect(finding!.source).toContain('002');
  });

  it('does not apply to other seats', () => {
    expect(only(facts({ role: 'DIRECTOR', person: { birthDate: '1940-01-01', gender: 'MALE' } }))).toEqual([]);
  });

  it('says so when the seat is unknown, and asks for a hand check when the birth date is', () => {
    expect(only(facts({ role: null }))).toEqual(['SECRETARY_AGE:INFO:-']);
    expect(only(facts({ role: 'SECRETARY', person: null }))).toEqual(['SECRETARY_AGE:NEEDS_DECISION:-']);
  });

  it('takes the deepest region override', () => {
    const policy: SafeguardPolicy = {
      ...SAFEGUARD_POLICY,
      secretaryAgeLimits: [
        ...SAFEGUARD_POLICY.secretaryAgeLimits,
        { regionPath: '51.5101', men: 62, women: 57, source: 'city' },
        { regionPath: '51.5101.510107', men: 63, women: 58, source: 'district' },
        { regionPath: '51.5101.510104', men: 50, women: 50, source: 'another district' },
      ],
    };
    expect(secretaryAgeLimitFor(VILLAGE, policy)).toMatchObject({ men: 63, women: 58, source: 'district' });
    expect(secretaryAgeLimitFor('51.5101.510108.510108001', policy)).toMatchObject({ men: 62, source: 'city' });
    expect(secretaryAgeLimitFor('44.4401', policy)).toMatchObject({ men: 60, women: 55 });
    // A 61-year-old man is within the district's relaxed limit.
    const f = facts({ role: 'SECRETARY', person: { birthDate: '1965-01-01', gender: 'MALE' } });
    expect(runPreCheckRules(f, policy)).toEqual([]);
    expect(runPreCheckRules(f)).toHaveLength(1);
  });
});

describe('democratic evaluation (四个不准)', () => {
  it('bars over 50% dissatisfied, citing 十不选 item 7', () => {
    expect(only(facts({ evaluations: [evaluation(51)] }))).toEqual(['EVALUATION_DISSATISFACTION:BARS:SBX-07']);
    expect(only(facts({ evaluations: [evaluation(101, 201)] }))).toEqual(['EVALUATION_DISSATISFACTION:BARS:SBX-07']); // 50.2%
  });

  it('asks for an admonition talk from 30% up to and including 50%', () => {
    expect(only(facts({ evaluations: [evaluation(50)] }))).toEqual(['EVALUATION_DISSATISFACTION:NEEDS_ADMONITION:-']);
    expect(only(facts({ evaluations: [evaluation(30)] }))).toEqual(['EVALUATION_DISSATISFACTION:NEEDS_ADMONITION:-']);
    expect(only(facts({ evaluations: [evaluation(29)] }))).toEqual([]);
    expect(only(facts({ evaluations: [evaluation(299, 1000)] }))).toEqual([]); // 29.9%
  });

  it('turns into a decision once a talk is held on or after the evaluation', () => {
    const before = facts({ evaluations: [evaluation(40)], admonitions: [{ id: 'talk-old', heldOn: '2025-12-01' }] });
    expect(only(before)).toEqual(['EVALUATION_DISSATISFACTION:NEEDS_ADMONITION:-']);
    const after = facts({ evaluations: [evaluation(40)], admonitions: [{ id: 'talk', heldOn: '2026-01-10' }] });
    const [finding] = runPreCheckRules(after);
    expect(finding).toMatchObject({ outcome: 'NEEDS_DECISION', evidenceIds: ['ev-1', 'talk'] });
  });

  it('judges by the latest evaluation', () => {
    const f = facts({ evaluations: [evaluation(60, 100, '2021-01-01', 'old'), evaluation(10, 100, '2026-01-01', 'new')] });
    expect(only(f)).toEqual([]);
  });
});

describe('sanctions, complaints, relatives, audit findings', () => {
  it('bars while a sanction is in force, the last day included', () => {
    const sanction = { id: 's', kind: 'PARTY_SERIOUS_WARNING', effectiveFrom: '2025-03-01', effectiveUntil: '2026-03-01' };
    expect(only(facts({ sanctions: [sanction] }))).toEqual(['SANCTION_IN_FORCE:BARS:SBX-03']);
    expect(only(facts({ today: '2026-03-02', sanctions: [sanction] }))).toEqual([]);
    expect(only(facts({ sanctions: [{ ...sanction, effectiveFrom: '2026-03-02', effectiveUntil: null }] }))).toEqual([]);
    expect(only(facts({ sanctions: [{ ...sanction, effectiveUntil: null }] }))).toEqual(['SANCTION_IN_FORCE:BARS:SBX-03']);
  });

  it('bars on a substantiated 三个一律 complaint, with its item; asks for a decision on the others', () => {
    const c = (category: PreCheckFacts['complaints'][number]['category']) => ({ complaintId: `c-${category}`, category, electionId: null });
    expect(only(facts({ complaints: [c('VOTE_BUYING'), c('CLAN_INTERFERENCE'), c('CRIMINAL_INTERFERENCE'), c('PROCEDURE')] }))).toEqual([
      'COMPLAINT_SUBSTANTIATED:BARS:SBX-05',
      'COMPLAINT_SUBSTANTIATED:BARS:SBX-04',
      'COMPLAINT_SUBSTANTIATED:BARS:SBX-02',
      'COMPLAINT_SUBSTANTIATED:NEEDS_DECISION:-',
    ]);
  });

  it('asks for a decision when a close relative sits on a committee of the unit; other kin do not count', () => {
    const seat = { relationId: 'rel', positionId: 'pos', committeeKind: 'VILLAGERS', role: 'DIRECTOR' };
    const [finding] = runPreCheckRules(facts({ relativesSeated: [{ ...seat, relation: 'SPOUSE' }] }));
    expect(finding).toMatchObject({ check: 'CLOSE_RELATIVE_ON_COMMITTEE', outcome: 'NEEDS_DECISION', evidenceIds: ['rel', 'pos'] });
    expect(only(facts({ relativesSeated: [{ ...seat, relation: 'OTHER_KIN' }] }))).toEqual([]);
  });

  it('shows an open audit finding under 十不选 item 8, overdue when past its deadline', () => {
    const finding = { id: 'f', auditId: 'a', deadline: '2026-02-01', description: '集体资金未入账' };
    const [shown] = runPreCheckRules(facts({ openAuditFindings: [finding] }));
    expect(shown).toMatchObject({ check: 'AUDIT_FINDING_OPEN', outcome: 'NEEDS_DECISION', itemCode: 'SBX-08', evidenceIds: ['f', 'a'] });
    expect(shown!.detail).toContain('overdue');
  });
});

describe('what blocks clearing', () => {
  it('is every barring finding and an admonition still owed, nothing else', () => {
    const findings = runPreCheckRules(
      facts({
        role: null,
        evaluations: [evaluation(40)],
        sanctions: [{ id: 's', kind: 'GOV_DEMERIT', effectiveFrom: '2025-01-01', effectiveUntil: null }],
        complaints: [{ complaintId: 'c', category: 'OTHER', electionId: null }],
      }),
    );
    expect(preCheckBlocks(findings).map((b) => b.rule)).toEqual(['PRECHECK.ADMONITION_REQUIRED', 'PRECHECK.BARS']);
  });
});

describe('input rules', () => {
  it('refuses evaluations without votes, with negative counts or in the future', () => {
    const ok = { evaluatedOn: '2026-01-01', satisfied: 1, basicallySatisfied: 0, dissatisfied: 0 };
    expect(ruleOf(() => checkEvaluation(ok, '2026-03-01'))).toBe('no error');
    expect(ruleOf(() => checkEvaluation({ ...ok, satisfied: 0 }, '2026-03-01'))).toBe('BAD_USER_INPUT:EVALUATION.COUNTS');
    expect(ruleOf(() => checkEvaluation({ ...ok, dissatisfied: -1 }, '2026-03-01'))).toBe('BAD_USER_INPUT:EVALUATION.COUNTS');
    expect(ruleOf(() => checkEvaluation({ ...ok, evaluatedOn: '2026-03-02' }, '2026-03-01'))).toBe('BAD_USER_INPUT:EVALUATION.DATE');
  });

  it('refuses a sanction ending before it starts, or of an unknown kind', () => {
    expect(ruleOf(() => checkSanction({ kind: 'PARTY_WARNING', effectiveFrom: '2026-01-01', effectiveUntil: '2025-12-31' }))).toBe(
      'BAD_USER_INPUT:SANCTION.DATES',
    );
    expect(ruleOf(() => checkSanction({ kind: 'SCOLDING', effectiveFrom: '2026-01-01', effectiveUntil: null }))).toBe(
      'BAD_USER_INPUT:SANCTION.KIND',
    );
  });

  it("wants an election on a candidate's pledge and a cycle on the others", () => {
    expect(ruleOf(() => checkPledge({ kind: 'CANDIDATE', electionId: null, cycleId: 'c', signedOn: '2026-01-01' }, '2026-03-01'))).toBe(
      'BAD_USER_INPUT:PLEDGE.ELECTION_REQUIRED',
    );
    expect(
      ruleOf(() => checkPledge({ kind: 'UNIT_SECRETARY', electionId: 'e', cycleId: null, signedOn: '2026-01-01' }, '2026-03-01')),
    ).toBe('BAD_USER_INPUT:PLEDGE.CYCLE_REQUIRED');
  });

  it('takes amounts in yuan to the fen, and resolves a finding once', () => {
    expect(ruleOf(() => checkFinding({ description: 'x', amount: 1234.56, deadline: '2026-01-01' }))).toBe('no error');
    expect(ruleOf(() => checkFinding({ description: 'x', amount: 1.234, deadline: '2026-01-01' }))).toBe(
      'BAD_USER_INPUT:AUDIT.FINDING_AMOUNT',
    );
    expect(resolveFinding('OPEN', 'RECTIFIED')).toBe('RECTIFIED');
    expect(ruleOf(() => resolveFinding('RECTIFIED', 'WAIVED'))).toBe('CONFLICT:AUDIT.FINDING_RESOLVED');
    expect(ruleOf(() => resolveFinding('OPEN', 'OPEN'))).toBe('BAD_USER_INPUT:AUDIT.FINDING_STATUS');
  });
});
