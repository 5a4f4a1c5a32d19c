import type { EntityManager } from 'typeorm';
import { byIdLoader, childrenLoader, pageVariant, readPage, type PageArgs } from '@huanjie/platform';
import type { CommitteeRow, PositionRow, TermRow } from '../db/committee.rows';
import { CommitteeStore } from '../db/committee.store';
import { PositionStore } from '../db/position.store';
import { TermStore } from '../db/term.store';

const flagId = (flag: boolean) => String(flag);

/** Committees, terms and seats, read within the caller's scope, one statement per level of a query. */
export function createCommitteeLoaders(db: EntityManager, scopePath: string) {
  const committees = new CommitteeStore(db, scopePath);
  const terms = new TermStore(db, scopePath);
  const positions = new PositionStore(db, scopePath);
  return {
    committees,
    committeeById: byIdLoader<CommitteeRow>((ids) => committees.byIds(ids)),
    termById: byIdLoader<TermRow>((ids) => terms.byIds(ids)),
    positionById: byIdLoader<PositionRow>((ids) => positions.byIds(ids)),
    committeesOfUnit: childrenLoader<null, CommitteeRow>((ids) => committees.ofOrgUnits(ids), (r) => r.org_unit_id, () => ''),
    currentTermOf: childrenLoader<null, TermRow>((ids) => terms.currentOf(ids), (r) => r.committee_id, () => ''),
    termsOf: childrenLoader<PageArgs, TermRow>((ids, args) => terms.ofCommittees(ids, readPage(args)), (r) => r.committee_id, pageVariant),
    positionsOfTerm: childrenLoader<boolean, PositionRow>((ids, active) => positions.of('term_id', ids, active), (r) => r.term_id, flagId),
    positionsOfPerson: childrenLoader<boolean, PositionRow>((ids, active) => positions.of('person_id', ids, active), (r) => r.person_id, flagId),
  };
}

export type CommitteeLoaders = ReturnType<typeof createCommitteeLoaders>;
