import { fullYearsBetween } from '@huanjie/platform';
import {
  NEGATIVE_LIST_CITES,
  SAFEGUARD_POLICY,
  secretaryAgeLimitFor,
  type RelationKind,
  type SafeguardPolicy,
} from './safeguard-policy.data';

/**
 * 预审: the automatic checks run on a review before the departments look. Facts in, findings out;
 * no I/O. Each finding names its check, what it means for the review, the negative-list item it
 * falls under where one fits, the text of the rule, and the ids of the records it rests on.
 */

export const PRE_CHECK_KINDS = [
  'SECRETARY_AGE',
  'EVALUATION_DISSATISFACTION',
  'SANCTION_IN_FORCE',
  'COMPLAINT_SUBSTANTIATED',
  'CLOSE_RELATIVE_ON_COMMITTEE',
  'AUDIT_FINDING_OPEN',
] as const;
export type PreCheckKind = (typeof PRE_CHECK_KINDS)[number];

/**
 * BARS — the candidate may not be cleared (the review can only be disqualified);
 * NEEDS_ADMONITION — may not be cleared until an admonition talk (诫勉谈话) is recorded;
 * NEEDS_DECISION — the departments must weigh it; INFO — shown, decides nothing.
 */
export type PreCheckOutcome = 'BARS' | 'NEEDS_DECISION' | 'NEEDS_ADMONITION' | 'INFO';

export interface PreCheckFinding {
  check: PreCheckKind;
  outcome: PreCheckOutcome;
  /** 十不选 item code (SBX-01 … SBX-10) where one fits; null otherwise. */
  itemCode: string | null;
  /** The rule's text and where it comes from. */
  source: string;
  /** What was found, in words a reviewer reads. Never an ID number, phone or complainant. */
  detail: string;
  /** Ids of the records the finding rests on (evaluation, sanction, complaint, seat, audit finding …). */
  evidenceIds: string[];
}

export type ComplaintCategory = 'VOTE_BUYING' | 'CLAN_INTERFERENCE' | 'CRIMINAL_INTERFERENCE' | 'ELIGIBILITY' | 'PROCEDURE' | 'OTHER';

/** What vetting knows of the person under review (see db/safeguards.ts for where each comes from). */
export interface PreCheckFacts {
  /** "Today" in Asia/Shanghai, yyyy-mm-dd. */
  today: string;
  /** The seat stood for; null when the nomination did not say. */
  role: string | null;
  /** Region path of the review (the unit the candidate stands in). */
  regionPath: string;
  /** Birth date and gender from personnel's events; null when none has arrived. */
  person: { birthDate: string; gender: 'MALE' | 'FEMALE' } | null;
  /** 民主评议 results of the person, any order. */
  evaluations: { id: string; evaluatedOn: string; satisfied: number; basicallySatisfied: number; dissatisfied: number }[];
  /** 诫勉谈话 held with the person. */
  admonitions: { id: string; heldOn: string }[];
  /** 处分 of the person, in force or not. */
  sanctions: { id: string; kind: string; effectiveFrom: string; effectiveUntil: string | null }[];
  /** Substantiated complaints naming the person. */
  complaints: { complaintId: string; category: ComplaintCategory; electionId: string | null }[];
  /** Declared close relatives who hold a current seat on a committee of the same unit. */
  relativesSeated: { relationId: string; relation: RelationKind; positionId: string; committeeKind: string; role: string }[];
  /** Departure-audit findings of the person that are still OPEN. */
  openAuditFindings: { id: string; auditId: string; deadline: string; description: string }[];
}

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;

function secretaryAge(f: PreCheckFacts, policy: SafeguardPolicy): PreCheckFinding[] {
  const limit = secretaryAgeLimitFor(f.regionPath, policy);
  const base = { check: 'SECRETARY_AGE' as const, itemCode: null, source: limit.source };
  if (f.role === null) {
    return [
      {
        ...base,
        outcome: 'INFO',
        detail: '竞选职务未知 — the nomination did not name the seat; the secretary age rule was not applied',
        evidenceIds: [],
      },
    ];
  }
  if (f.role !== 'SECRETARY') return [];
  if (f.person === null) {
    return [
      {
        ...base,
        outcome: 'NEEDS_DECISION',
        detail: '出生日期未知 — vetting has no birth date for this person (no PersonRegistered received); check the age by hand',
        evidenceIds: [],
      },
    ];
  }
  const age = fullYearsBetween(f.person.birthDate, f.today);
  const max = f.person.gender === 'MALE' ? limit.men : limit.women;
  // "男满60岁 … 一般不继续提名": reaching the age is what counts. "一般" — the rule allows exceptions
  // (特别优秀的可以放宽), so it asks for a decision rather than barring.
  if (age < max) return [];
  return [
    {
      ...base,
      outcome: 'NEEDS_DECISION',
      detail: `年龄 ${age} 周岁, ${f.person.gender === 'MALE' ? '男' : '女'}: at or over the secretary limit of ${max}; not normally nominated as secretary unless the age requirement is relaxed`,
      evidenceIds: [],
    },
  ];
}

function dissatisfaction(f: PreCheckFacts, policy: SafeguardPolicy): PreCheckFinding[] {
  // The latest evaluation is the one that speaks for the person (届满民主评议 of the ending term).
  const latest = [...f.evaluations].sort((a, b) =>
    a.evaluatedOn === b.evaluatedOn ? a.id.localeCompare(b.id) : b.evaluatedOn.localeCompare(a.evaluatedOn),
  )[0];
  if (!latest) return [];
  const total = latest.satisfied + latest.basicallySatisfied + latest.dissatisfied;
  if (total === 0) return [];
  const { barsAbove, admonitionFrom } = policy.dissatisfaction.value;
  const share = pct(latest.dissatisfied, total);
  const base = { check: 'EVALUATION_DISSATISFACTION' as const, source: policy.dissatisfaction.source };
  // Integer comparisons: dissatisfied/total > n/d  ⇔  dissatisfied·d > n·total.
  if (latest.dissatisfied * barsAbove.denominator > barsAbove.numerator * total) {
    return [
      {
        ...base,
        outcome: 'BARS',
        itemCode: NEGATIVE_LIST_CITES.INCOMPETENT_OR_DERELICT,
        detail: `民主评议 ${latest.evaluatedOn}: 不满意率 ${share} (${latest.dissatisfied}/${total}) is over ${pct(barsAbove.numerator, barsAbove.denominator)}: 不准参选`,
        evidenceIds: [latest.id],
      },
    ];
  }
  if (latest.dissatisfied * admonitionFrom.denominator >= admonitionFrom.numerator * total) {
    const talk = f.admonitions.filter((a) => a.heldOn >= latest.evaluatedOn).sort((a, b) => b.heldOn.localeCompare(a.heldOn))[0];
    if (!talk) {
      return [
        {
          ...base,
          outcome: 'NEEDS_ADMONITION',
          itemCode: null,
          detail: `民主评议 ${latest.evaluatedOn}: 不满意率 ${share} (${latest.dissatisfied}/${total}) is ${pct(admonitionFrom.numerator, admonitionFrom.denominator)}–${pct(barsAbove.numerator, barsAbove.denominator)}: an admonition talk (诫勉谈话) must be recorded before the candidate can be cleared`,
          evidenceIds: [latest.id],
        },
      ];
    }
    return [
      {
        ...base,
        outcome: 'NEEDS_DECISION',
        itemCode: null,
        detail: `民主评议 ${latest.evaluatedOn}: 不满意率 ${share} (${latest.dissatisfied}/${total}); 诫勉谈话 held on ${talk.heldOn}: the departments decide whether the candidate stands`,
        evidenceIds: [latest.id, talk.id],
      },
    ];
  }
  return [];
}

function sanctionsInForce(f: PreCheckFacts): PreCheckFinding[] {
  return f.sanctions
    .filter((s) => s.effectiveFrom <= f.today && (s.effectiveUntil === null || s.effectiveUntil >= f.today))
    .map((s) => ({
      check: 'SANCTION_IN_FORCE' as const,
      outcome: 'BARS' as const,
      itemCode: NEGATIVE_LIST_CITES.DISCIPLINARY_PENALTY,
      source: '十不选 (三): 受到党纪政务处分尚未超过处分影响期 — a disciplinary or administrative sanction still in force',
      detail: `处分 ${s.kind} in force since ${s.effectiveFrom}${s.effectiveUntil === null ? ', without an end date' : ` until ${s.effectiveUntil}`}`,
      evidenceIds: [s.id],
    }));
}

/** 三个一律 categories and the 十不选 item each falls under; the other categories ask for a decision. */
const BARRING_COMPLAINTS: Partial<Record<ComplaintCategory, { itemCode: string; words: string }>> = {
  VOTE_BUYING: { itemCode: NEGATIVE_LIST_CITES.VOTE_BUYING, words: '拉票贿选' },
  CLAN_INTERFERENCE: { itemCode: NEGATIVE_LIST_CITES.RELIGION_CULT_CLAN, words: '宗族宗派干扰' },
  CRIMINAL_INTERFERENCE: { itemCode: NEGATIVE_LIST_CITES.CRIMINAL_OR_BULLY, words: '黑恶势力干扰' },
};

function complaints(f: PreCheckFacts): PreCheckFinding[] {
  return f.complaints.map((c) => {
    const bars = BARRING_COMPLAINTS[c.category];
    return bars
      ? {
          check: 'COMPLAINT_SUBSTANTIATED' as const,
          outcome: 'BARS' as const,
          itemCode: bars.itemCode,
          source: 'domain source 002 "三个一律": 凡经查实的 (拉票贿选、涉黑涉恶、宗族宗派势力干扰破坏选举), 是候选人的一律取消参选资格',
          detail: `信访举报 查实: ${bars.words} (${c.category})`,
          evidenceIds: [c.complaintId],
        }
      : {
          check: 'COMPLAINT_SUBSTANTIATED' as const,
          outcome: 'NEEDS_DECISION' as const,
          itemCode: null,
          source: '信访举报 查实 — a substantiated complaint about the candidate (category outside 三个一律): the departments weigh it',
          detail: `信访举报 查实: category ${c.category}`,
          evidenceIds: [c.complaintId],
        };
  });
}

function closeRelatives(f: PreCheckFacts, policy: SafeguardPolicy): PreCheckFinding[] {
  return f.relativesSeated
    .filter((r) => policy.closeRelations.value.includes(r.relation))
    .map((r) => ({
      check: 'CLOSE_RELATIVE_ON_COMMITTEE' as const,
      // The seat is of the outgoing term: whether it conflicts depends on who is elected, so the
      // departments decide (and may ask one of the two to stand down).
      outcome: 'NEEDS_DECISION' as const,
      itemCode: null,
      source: policy.closeRelations.source,
      detail: `近亲属回避: a declared ${r.relation} relative holds the ${r.role} seat on the ${r.committeeKind} committee of the same unit`,
      evidenceIds: [r.relationId, r.positionId],
    }));
}

function openAuditFindings(f: PreCheckFacts, policy: SafeguardPolicy): PreCheckFinding[] {
  return f.openAuditFindings.map((a) => ({
    check: 'AUDIT_FINDING_OPEN' as const,
    // Not a bar for good: it blocks clearing (AUDIT.FINDING_OPEN) until rectified or waived.
    outcome: 'NEEDS_DECISION' as const,
    itemCode: NEGATIVE_LIST_CITES.FUNDS_NOT_PUT_RIGHT,
    source: policy.auditOnPositionEnd.source,
    detail: `离任审计 finding not rectified (deadline ${a.deadline}${a.deadline < f.today ? ', overdue' : ''}): ${a.description}`,
    evidenceIds: [a.id, a.auditId],
  }));
}

/** Every pre-check on one person's facts, in a fixed order (the order of PRE_CHECK_KINDS). */
export function runPreCheckRules(facts: PreCheckFacts, policy: SafeguardPolicy = SAFEGUARD_POLICY): PreCheckFinding[] {
  return [
    ...secretaryAge(facts, policy),
    ...dissatisfaction(facts, policy),
    ...sanctionsInForce(facts),
    ...complaints(facts),
    ...closeRelatives(facts, policy),
    ...openAuditFindings(facts, policy),
  ];
}

/** Why a review may not be cleared, from its pre-check findings (pledges and audits are added by the caller). */
export function preCheckBlocks(findings: readonly PreCheckFinding[]): { rule: string; message: string }[] {
  const blocks: { rule: string; message: string }[] = [];
  for (const f of findings) {
    if (f.outcome === 'BARS') {
      blocks.push({ rule: 'PRECHECK.BARS', message: `${f.check}${f.itemCode ? ` (${f.itemCode})` : ''} — ${f.detail}` });
    } else if (f.outcome === 'NEEDS_ADMONITION') {
      blocks.push({ rule: 'PRECHECK.ADMONITION_REQUIRED', message: `${f.check} — ${f.detail}` });
    }
  }
  return blocks;
}
