import type { Role } from '@huanjie/platform';

export type ServiceName = 'personnel' | 'elections' | 'vetting' | 'complaints' | 'training';

/**
 * Who may call one root field of the supergraph. The matrix test tries every role in three
 * regions against it and the access page (proto-docs/ACCESS.md) is generated from it: this table
 * is the statement of who may do what, and the test holds the services to it.
 */
export interface Access {
  service: ServiceName;
  /** The roles that may call it; every other role is refused with FORBIDDEN. */
  roles: readonly Role[];
  /**
   * 'subtree': the caller reaches only records within their region scope (a caller scoped to a
   * district sees and changes that district and what lies beneath it; a sibling district's caller
   * is refused or finds nothing). 'open': reference data, the same answer in every region.
   */
  region: 'subtree' | 'open';
  /** One line for the access page: what the operation does, or a condition beyond the role. */
  note: string;
}

export type AccessTable = Record<string, Access>;

/** A field narrower than the query that reaches it: refused (or null) for roles not listed. */
export interface FieldAccess {
  service: ServiceName;
  roles: readonly Role[];
  /** What the other roles get. */
  otherwise: 'FORBIDDEN' | 'null';
  note: string;
}
