import type { EntityManager } from 'typeorm';
import { scopeCondition, onlyUuids } from '@huanjie/platform';

export interface ElectionCycleRow {
  id: string;
  name: string;
  region_code: string;
  region_path: string;
  term_years: number;
  /** ISO date, yyyy-mm-dd. */
  starts_on: string;
  ends_on: string;
  created_at: Date;
}

const columns = (t: string) =>
  `${t}.id, ${t}.name, ${t}.region_code, ${t}.region_path, ${t}.term_years, ` +
  `to_char(${t}.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(${t}.ends_on, 'YYYY-MM-DD') AS ends_on, ${t}.created_at`;

// Ids arrive from clients and the gateway; a malformed one would make Postgres reject the whole
// uuid[] cast (an internal error for every key in the batch) instead of simply matching nothing.

/**
 * Cycles a caller may see: those within their scope (their district's own cycle) and those that
 * cover it — the city-wide cycle is the one a district officer's villages hold their 换届 under,
 * so hiding it would hide the rules they work by. Builds on scopeCondition and its parameter.
 */
function visibleCycleCondition(column: string, scopePath: string, params: unknown[]): string {
  const within = scopeCondition(column, scopePath, params);
  if (scopePath === '') return within;
  const scope = `$${params.length}`; // the scope path scopeCondition just pushed
  return `(${within} OR ${column} = '' OR ${scope} LIKE ${column} || '.%')`;
}

/** 换届周期 reads for the caller's region scope, and the write of createElectionCycle. */
export class ElectionCycleStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<ElectionCycleRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${columns('c')} FROM election_cycle c WHERE c.id = ANY($1::uuid[]) AND ${visibleCycleCondition('c.region_path', this.scopePath, params)}`,
      params,
    );
  }

  /**
   * The cycles covering each of many units, in one statement: a cycle covers a unit when the
   * unit's path is the cycle's region or lies beneath it (the gateway supplies the unit's path
   * through @requires). Units outside the caller's scope get none. Newest cycle first.
   */
  async coveringRegionPaths(paths: readonly string[]): Promise<(ElectionCycleRow & { unit_path: string })[]> {
    const params: unknown[] = [paths];
    return this.db.query(
      `SELECT u.path AS unit_path, ${columns('c')}
         FROM unnest($1::text[]) AS u(path)
         JOIN election_cycle c
           ON c.region_path = '' OR u.path = c.region_path OR u.path LIKE c.region_path || '.%'
        WHERE ${scopeCondition('u.path', this.scopePath, params)}
        ORDER BY u.path, c.starts_on DESC, c.id`,
      params,
    );
  }

  async insert(row: Omit<ElectionCycleRow, 'created_at'>): Promise<ElectionCycleRow> {
    const [inserted]: ElectionCycleRow[] = await this.db.query(
      `INSERT INTO election_cycle AS c (id, name, region_code, region_path, term_years, starts_on, ends_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${columns('c')}`,
      [row.id, row.name, row.region_code, row.region_path, row.term_years, row.starts_on, row.ends_on],
    );
    return inserted!;
  }
}
