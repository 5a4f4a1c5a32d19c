import type { Role } from '@huanjie/platform';
import { ok, tokenFor, type Caller, type Graph } from '../world';

// The regions of the matrix: the records under test live in the own district; callers are scoped
// to that district (own), to its city (parent: a wider scope that contains it) or to a district
// beside it (sibling). Decoy records in the sibling district catch lists that leak across.
export const CITY = '510100000000'; // 成都市
export const OWN = '510107000000'; // 武侯区
export const OWN_TOWN = '510107018000'; // 簇桥街道
export const OWN_VILLAGE = '510107018003'; // 七里社区
export const SIBLING = '510104000000'; // 锦江区
export const SIBLING_TOWN = '510104020000';
export const SIBLING_VILLAGE = '510104020001';

export type Scope = 'own' | 'parent' | 'sibling';
export const SCOPES: readonly Scope[] = ['own', 'parent', 'sibling'];
export const SCOPE_REGION: Record<Scope, string> = { own: OWN, parent: CITY, sibling: SIBLING };

/** The department a REVIEWER of the matrix answers for in 联审. */
export const REVIEWER_DEPARTMENT = 'DISCIPLINE';

export const callerFor = (role: Role, scope: Scope): Caller => ({
  roles: [role],
  region: SCOPE_REGION[scope],
  user: `${role.toLowerCase()}-${scope}`,
  ...(role === 'REVIEWER' ? { department: REVIEWER_DEPARTMENT } : {}),
});

export interface Cell {
  role: Role;
  scope: Scope;
  caller: Caller;
  /** Whether the table says this call is allowed: probes of refused calls need no fresh records. */
  allowed: boolean;
}

/** One call aimed at records of the own district. */
export interface Probe {
  query: string;
  variables?: Record<string, unknown>;
  /**
   * Ids an allowed call must bring back: proof that it reached the record, not only that it was
   * not refused. For a mutation, usually the id of the record it changed or created.
   */
  expectIds?: string[];
  /**
   * For a query whose answer says something about the region even when empty (a report, a count):
   * a caller from a sibling district must be refused, not answered. Mutations always are.
   */
  outOfScope?: 'refuse';
}

/** Records of the two districts, by the region they belong to, for the leak check. */
export class Ledger {
  readonly own = new Set<string>();
  readonly sibling = new Set<string>();
  track(where: 'own' | 'sibling', ...ids: (string | undefined | null)[]): void {
    for (const id of ids) if (id) this[where].add(id);
  }
}

let serial = 0;

/** What a probe and a setup can use: the gateway, an all-powerful seeder, unique values. */
export class MatrixKit {
  readonly ledger = new Ledger();
  constructor(readonly url: string) {}

  /** A request as the nationwide ORG_ADMIN (or `who`) that must succeed; throws otherwise. */
  seed<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, who?: Caller): Promise<T> {
    return ok<T>(this.url, query, variables, who);
  }

  token(who: Caller): Promise<string> {
    return tokenFor(who);
  }

  /** A number never handed out before in this run (codes, names, ID numbers of fresh records). */
  next(): number {
    serial += 1;
    return serial;
  }
}

export interface ServiceProbes<F> {
  /**
   * Called once the graph runs, before anything is seeded: for probes that need a service itself,
   * e.g. to carry another service's events to it (each service of the matrix's graph has topics of
   * its own, so no event crosses unless a probe carries it).
   */
  started?(graph: Graph): Promise<void> | void;
  /** Records the probes need beyond the base world, created once before the cells run. */
  setup(kit: MatrixKit, world: BaseWorld): Promise<F>;
  /** One probe builder per root field of the service. Called once per cell. */
  probes: Record<string, (ctx: { kit: MatrixKit; world: BaseWorld; fixtures: F; cell: Cell }) => Promise<Probe>>;
}

/** The records every service's probes share; created through the graph like a client would. */
export interface BaseWorld {
  units: Record<string, string>;
  /** The two villages of the own district and their people. */
  village: string;
  village2: string;
  people: string[];
  idNumbers: string[];
  siblingVillage: string;
  siblingPerson: string;
  cycleId: string;
  siblingCycleId: string;
}

/**
 * The probe of a subgraph's audit query: the own district's records of one entity type over any
 * period of the run, which must hold `expectId`; a sibling district's caller must be refused.
 */
export function auditLogProbe(field: string, filter: { entityType?: string; action?: string }, expectId: string): Probe {
  return {
    query: `query($input: AuditLogInput!) { ${field}(input: $input, first: 100) { nodes { id entityType entityId action regionPath after } pageInfo { hasNextPage } } }`,
    variables: { input: { regionCode: OWN, from: '2000-01-01', to: '2100-01-01', ...filter } },
    expectIds: [expectId],
    outOfScope: 'refuse',
  };
}
