import type { EntityManager } from 'typeorm';
import { scopeCondition, subtreeCondition } from '@huanjie/platform';
import type { Gender } from '../domain/person.rules';
import {
  COLLEGE_EDUCATION_LEVELS,
  EMPTY_SIDE,
  PARTY_MEMBERSHIP_STATUSES,
  SECRETARY_AGE_LIMIT,
  UNIT_TARGETS,
  YOUNG_MAX_AGE,
  YOUNGER_MAX_AGE,
  type SideCounts,
} from '../domain/structure-report.rules';
import { ORG_UNIT_COLUMNS, type OrgUnitRow } from './rows';

/** The per-unit targets a unit can miss, as the SQL names them. */
export type ShortfallTarget = 'WOMEN' | 'AGED_35_OR_UNDER' | 'COLLEGE_OR_ABOVE' | 'SECRETARY_AGE';

export interface ShortfallItem {
  unit: OrgUnitRow;
  /** SECRETARY_AGE only: the secretary, their gender, the day they took the seat and their age that day. */
  personId: string | null;
  gender: Gender | null;
  seatedOn: string | null;
  age: number | null;
}

export interface StructureCounts {
  /** The unit the region code names; null for the nationwide code or a code with no unit on record. */
  region: OrgUnitRow | null;
  /** Villages and communities in the region. */
  unitCount: number;
  /** Those with at least one member in office on asOf: the units the targets are checked on. */
  assessedUnitCount: number;
  /** The current term on asOf; the previous term on its last day (zeros when none is on record). */
  current: SideCounts;
  previous: SideCounts;
  shortfalls: Map<ShortfallTarget, { total: number; items: ShortfallItem[] }>;
}

/**
 * 周岁 on date `on` of someone born on `birth` (both SQL date expressions): the count goes up on
 * the birthday itself, as fullYearsBetween (packages/platform calendar.ts) computes it in Node, so
 * the report and Person.age never disagree (29 February birthdays go up on 1 March). Computed as
 * (YYYYMMDD of `on` − YYYYMMDD of `birth`) div 10,000 from date_part: the same figure as comparing
 * years and then 'MM-DD' strings, four times faster than to_char over a city's 21,000 members
 * (infra/bench, structure report).
 */
const yyyymmdd = (d: string) => `(date_part('year', ${d})::int * 10000 + date_part('month', ${d})::int * 100 + date_part('day', ${d})::int)`;
const ageSql = (birth: string, on: string) => `((${yyyymmdd(on)} - ${yyyymmdd(birth)}) / 10000)`;

interface SideRow {
  side: 'CURRENT' | 'PREVIOUS';
  committees: number;
  units: number;
  members: number;
  age_sum: number;
  aged_35_or_under: number;
  aged_40_or_under: number;
  college_or_above: number;
  women: number;
  party_members: number;
  units_with_both_posts: number;
  one_shoulder_units: number;
}

interface ReportRow {
  region: OrgUnitRow | null;
  unit_count: number;
  assessed_unit_count: number;
  sides: SideRow[];
  shortfalls: { target: ShortfallTarget; total: number; items: ShortfallItem[] }[];
}

const toSide = (row: SideRow): SideCounts => ({
  committees: row.committees,
  units: row.units,
  members: row.members,
  ageSum: Number(row.age_sum),
  aged35OrUnder: row.aged_35_or_under,
  aged40OrUnder: row.aged_40_or_under,
  collegeOrAbove: row.college_or_above,
  women: row.women,
  partyMembers: row.party_members,
  unitsWithBothPosts: row.units_with_both_posts,
  oneShoulderUnits: row.one_shoulder_units,
});

/**
 * 班子结构分析 in SQL: one statement, whatever the size of the region. Only counts and the first
 * `unitsPerList` units of each compliance list leave the database; no person is loaded into Node.
 * Always within the caller's region scope ('' for nationwide).
 */
export class StructureReportStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  /**
   * The thresholds are those of structure-report.rules.ts, passed as parameters; the comparisons
   * below are its predicates (isAgedAtMost, exceedsSecretaryAgeRule, the unit targets) written in
   * SQL so that no member leaves the database. structure-report.integration.spec.ts pins the two
   * to the same figures.
   */
  async counts(regionPath: string, asOf: string, unitsPerList: number): Promise<StructureCounts> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const region = p(regionPath);
    const inRegion = (column: string) => (regionPath === '' ? 'TRUE' : subtreeCondition(column, `${region}::text`));
    const day = `${p(asOf)}::date`;
    const college = `${p(COLLEGE_EDUCATION_LEVELS)}::text[]`;
    const party = `${p(PARTY_MEMBERSHIP_STATUSES)}::text[]`;
    const young = `${p(YOUNG_MAX_AGE)}::int`;
    const younger = `${p(YOUNGER_MAX_AGE)}::int`;
    const [minWomen, minYoung, minCollege] = [UNIT_TARGETS.women, UNIT_TARGETS.aged35OrUnder, UNIT_TARGETS.collegeOrAbove].map(
      (n) => `${p(n)}::int`,
    );
    const [maleLimit, femaleLimit] = [SECRETARY_AGE_LIMIT.MALE, SECRETARY_AGE_LIMIT.FEMALE].map((n) => `${p(n)}::int`);
    const limit = `${p(unitsPerList)}::int`;

    const sql = `
      WITH
      -- The villages and communities of the region: the units that hold a 换届.
      region_unit AS (
        SELECT ${ORG_UNIT_COLUMNS} FROM org_unit u
         WHERE u.kind IN ('VILLAGE', 'COMMUNITY') AND ${inRegion('u.region_path')} AND ${scopeCondition('u.region_path', this.scopePath, params)}
      ),
      -- 本届: for each committee, the latest term begun on or before asOf. A committee's terms never
      -- overlap and one ends only the day before the next begins, so this is the term running on asOf.
      cur_term AS (
        SELECT DISTINCT ON (t.committee_id) t.id, t.committee_id, t.starts_on
          FROM committee_term t
         WHERE t.starts_on <= ${day} AND ${inRegion('t.region_path')} AND ${scopeCondition('t.region_path', this.scopePath, params)}
         ORDER BY t.committee_id, t.starts_on DESC
      ),
      -- 上届: the term of the same committee that ended most recently before the current one began.
      prev_term AS (
        SELECT DISTINCT ON (t.committee_id) t.id, t.committee_id, t.ends_on
          FROM committee_term t JOIN cur_term c ON c.committee_id = t.committee_id
         WHERE t.ends_on < c.starts_on
         ORDER BY t.committee_id, t.ends_on DESC
      ),
      -- The seats counted: those of the current term held on asOf, and those of the previous term
      -- held on its last day (the outgoing team as it handed over; seats left mid-term do not count),
      -- each with what the figures need of its holder: person is read once, in one hash join, and
      -- every figure below works from these rows.
      seat_held AS (
        SELECT h.*, pe.birth_date, pe.gender, pe.education, pe.political_status
          FROM (
            SELECT 'CURRENT'::text AS side, s.committee_id, s.org_unit_id, s.role, s.person_id, s.starts_on, ${day} AS counted_on
              FROM committee_position s JOIN cur_term t ON t.id = s.term_id
             WHERE s.starts_on <= ${day} AND (s.ends_on IS NULL OR s.ends_on >= ${day})
            UNION ALL
            SELECT 'PREVIOUS', s.committee_id, s.org_unit_id, s.role, s.person_id, s.starts_on, t.ends_on
              FROM committee_position s JOIN prev_term t ON t.id = s.term_id
             WHERE s.starts_on <= t.ends_on AND (s.ends_on IS NULL OR s.ends_on >= t.ends_on)
          ) h
          JOIN person pe ON pe.id = h.person_id
      ),
      -- One row per person and side: a member of both committees counts once. On the previous side
      -- the two committees' terms may have ended on different days; the later one dates the age.
      member_fact AS (
        SELECT m.side, m.person_id, ${ageSql('m.birth_date', 'm.counted_on')} AS age,
               m.gender = 'FEMALE' AS woman, m.education = ANY(${college}) AS college, m.political_status = ANY(${party}) AS party
          FROM (
            SELECT side, person_id, birth_date, gender, education, political_status, max(counted_on) AS counted_on
              FROM seat_held GROUP BY side, person_id, birth_date, gender, education, political_status
          ) m
        -- OFFSET 0 keeps this a subquery of its own: inlined, each aggregate below would compute
        -- the age again (three times a member; a third of the city's report).
        OFFSET 0
      ),
      side_summary AS (
        SELECT side, count(*)::int AS members, coalesce(sum(age), 0)::bigint AS age_sum,
               count(*) FILTER (WHERE age <= ${young})::int AS aged_35_or_under,
               count(*) FILTER (WHERE age <= ${younger})::int AS aged_40_or_under,
               count(*) FILTER (WHERE college)::int AS college_or_above,
               count(*) FILTER (WHERE woman)::int AS women,
               count(*) FILTER (WHERE party)::int AS party_members
          FROM member_fact GROUP BY side
      ),
      coverage AS (
        SELECT side, count(*)::int AS committees, count(DISTINCT org_unit_id)::int AS units
          FROM (SELECT DISTINCT side, committee_id, org_unit_id FROM seat_held) c GROUP BY side
      ),
      -- 一肩挑: per unit and side, who holds the secretary's and the director's seats (arrays, in
      -- case a seat changed hands on the very day counted), then units with both filled and units
      -- where one person is in both.
      unit_head AS (
        SELECT side, org_unit_id,
               array_agg(person_id) FILTER (WHERE role = 'SECRETARY') AS secretaries,
               array_agg(person_id) FILTER (WHERE role = 'DIRECTOR') AS directors
          FROM seat_held WHERE role IN ('SECRETARY', 'DIRECTOR') GROUP BY side, org_unit_id
      ),
      one_shoulder AS (
        SELECT side, count(*) FILTER (WHERE secretaries IS NOT NULL AND directors IS NOT NULL)::int AS units_with_both_posts,
               count(*) FILTER (WHERE secretaries && directors)::int AS one_shoulder_units
          FROM unit_head GROUP BY side
      ),
      -- Each unit's 两委 together on asOf, for the per-unit targets (a person on both committees counts once).
      -- From seat_held, not from member_fact: a second reference would make PostgreSQL materialise
      -- member_fact without statistics and compare every member with every other (measured: 400 of
      -- 465 ms for a district of 1,046 members).
      unit_current AS (
        SELECT s.org_unit_id,
               count(*) FILTER (WHERE s.gender = 'FEMALE')::int AS women,
               count(*) FILTER (WHERE ${ageSql('s.birth_date', day)} <= ${young})::int AS aged_35_or_under,
               count(*) FILTER (WHERE s.education = ANY(${college}))::int AS college_or_above
          FROM (SELECT DISTINCT org_unit_id, person_id, birth_date, gender, education FROM seat_held WHERE side = 'CURRENT') s
         GROUP BY s.org_unit_id
      ),
      -- The current secretaries and their age on the day they took the seat (the age rule restrains nomination).
      secretary AS (
        SELECT s.org_unit_id, s.person_id, s.gender, s.starts_on, ${ageSql('s.birth_date', 's.starts_on')} AS age
          FROM seat_held s
         WHERE s.side = 'CURRENT' AND s.role = 'SECRETARY'
      ),
      shortfall AS (
        SELECT 'WOMEN'::text AS target, org_unit_id, NULL::uuid AS person_id, NULL::text AS gender, NULL::date AS seated_on, NULL::int AS age
          FROM unit_current WHERE women < ${minWomen}
        UNION ALL
        SELECT 'AGED_35_OR_UNDER', org_unit_id, NULL, NULL, NULL, NULL FROM unit_current WHERE aged_35_or_under < ${minYoung}
        UNION ALL
        SELECT 'COLLEGE_OR_ABOVE', org_unit_id, NULL, NULL, NULL, NULL FROM unit_current WHERE college_or_above < ${minCollege}
        UNION ALL
        SELECT 'SECRETARY_AGE', org_unit_id, person_id, gender, starts_on, age FROM secretary
         WHERE age >= CASE gender WHEN 'MALE' THEN ${maleLimit} ELSE ${femaleLimit} END
      ),
      ranked AS (
        SELECT f.*, to_json(u) AS unit, row_number() OVER (PARTITION BY f.target ORDER BY u.code, f.person_id) AS rn
          FROM shortfall f JOIN region_unit u ON u.id = f.org_unit_id
      )
      SELECT
        (SELECT to_json(r) FROM (SELECT ${ORG_UNIT_COLUMNS} FROM org_unit WHERE region_path = ${region}) r) AS region,
        (SELECT count(*)::int FROM region_unit) AS unit_count,
        (SELECT count(*)::int FROM unit_current) AS assessed_unit_count,
        (SELECT coalesce(json_agg(x), '[]'::json) FROM (
           SELECT c.side, c.committees, c.units, s.members, s.age_sum, s.aged_35_or_under, s.aged_40_or_under, s.college_or_above,
                  s.women, s.party_members, coalesce(o.units_with_both_posts, 0) AS units_with_both_posts,
                  coalesce(o.one_shoulder_units, 0) AS one_shoulder_units
             FROM coverage c JOIN side_summary s USING (side) LEFT JOIN one_shoulder o USING (side)
        ) x) AS sides,
        (SELECT coalesce(json_agg(x), '[]'::json) FROM (
           SELECT target, count(*)::int AS total,
                  coalesce(json_agg(json_build_object('unit', unit, 'personId', person_id, 'gender', gender, 'seatedOn', seated_on, 'age', age) ORDER BY rn)
                           FILTER (WHERE rn <= ${limit}), '[]'::json) AS items
             FROM ranked GROUP BY target
        ) x) AS shortfalls`;

    const [row]: ReportRow[] = await this.db.query(sql, params);
    // An aggregate without GROUP BY always answers one row.
    const result = row!;
    const side = (name: SideRow['side']) => {
      const found = result.sides.find((s) => s.side === name);
      return found ? toSide(found) : EMPTY_SIDE;
    };
    return {
      region: result.region,
      unitCount: result.unit_count,
      assessedUnitCount: result.assessed_unit_count,
      current: side('CURRENT'),
      previous: side('PREVIOUS'),
      shortfalls: new Map(result.shortfalls.map((s) => [s.target, { total: s.total, items: s.items }])),
    };
  }
}
