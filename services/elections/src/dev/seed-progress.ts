import { regionPathFromCode, seededRandom } from '@huanjie/platform';
import { basisPoints, childRegionCode } from '../domain/transition.rules';
import { templateForKind, type CommitteeKind } from '../domain/workflow-templates.data';

/**
 * A city's 换届 progress for demos, the gateway test and `npm run bench`: both transitions of every
 * village and community (the Party committee's 32 steps and the villagers'/residents' committee's
 * 19: 51 per unit) with a spread of completions — some done days ago, some finished today, most in
 * progress, some not started, some held — written in SQL, a few statements whatever the size.
 * The plan is computed here, deterministically from a seed, so a test can compute what the report
 * must say without asking the database (expectedProgress).
 */

export interface SeedUnit {
  /** personnel's id of the village or community. */
  id: string;
  code: string;
  kind: 'VILLAGE' | 'COMMUNITY';
}

export interface TransitionPlan {
  unit: SeedUnit;
  committeeKind: CommitteeKind;
  templateCode: string;
  total: number;
  /** Steps done: the first `done` steps of the template (its list order respects every dependency). */
  done: number;
  /** Of those, how many (the last ones) were done today. */
  doneToday: number;
  /** When the first step was done, in days before today. */
  startedDaysAgo: number;
  blockedReason: string | null;
}

/** Anything with a query method: a TypeORM DataSource or EntityManager, or a pg Client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** 成都市's 20 county-level units (real 行政区划代码); the first five are urban districts. */
// prettier-ignore
export const CHENGDU_COUNTIES: readonly { code: string; name: string; urban: boolean }[] = [
  ['510104', '锦江区', true], ['510105', '青羊区', true], ['510106', '金牛区', true], ['510107', '武侯区', true],
  ['510108', '成华区', true], ['510112', '龙泉驿区', false], ['510113', '青白江区', false], ['510114', '新都区', false],
  ['510115', '温江区', false], ['510116', '双流区', false], ['510117', '郫都区', false], ['510118', '新津区', false],
  ['510121', '金堂县', false], ['510129', '大邑县', false], ['510131', '蒲江县', false], ['510181', '都江堰市', false],
  ['510182', '彭州市', false], ['510183', '邛崃市', false], ['510184', '崇州市', false], ['510185', '简阳市', false],
].map(([code, name, urban]) => ({ code: `${code as string}000000`, name: name as string, urban: urban as boolean }));


/** A deterministic UUID-shaped id from a number (v4 layout), so a synthetic city has stable ids. */
function syntheticId(n: number, salt: number): string {
  const hex = (n * 2654435761 + salt).toString(16).padStart(12, '0').slice(-12);
  return `5eed0000-0000-4000-8000-${hex}`;
}

/**
 * 成都市 with `unitCount` villages and communities (3,039 in the 2021 换届, GLOSSARY "Scale") in
 * about 12 per township, townships spread over the 20 county-level units: communities (社区,
 * 001–199) in the urban districts' 街道, mostly villages (村, 201–399) in the 镇 of the others.
 */
export function syntheticChengdu(unitCount = 3039, seed = 20260104) {
  const random = seededRandom(seed);
  const perTown = 12;
  const townCount = Math.ceil(unitCount / perTown);
  const towns: { code: string; name: string; county: string }[] = [];
  const townsInCounty = new Map<string, number>();
  for (let t = 0; t < townCount; t++) {
    const county = CHENGDU_COUNTIES[t % CHENGDU_COUNTIES.length]!;
    const n = (townsInCounty.get(county.code) ?? 0) + 1;
    townsInCounty.set(county.code, n);
    // 街道 001–099, 镇 101–199.
    const townNo = county.urban ? n : 100 + n;
    towns.push({ code: `${county.code.slice(0, 6)}${String(townNo).padStart(3, '0')}000`, name: `${county.name.slice(0, 2)}${n}${county.urban ? '街道' : '镇'}`, county: county.code });
  }
  const units: SeedUnit[] = [];
  for (let i = 0; i < unitCount; i++) {
    const town = towns[i % townCount]!;
    const k = Math.floor(i / townCount) + 1;
    const urban = CHENGDU_COUNTIES.find((c) => c.code === town.county)!.urban;
    const community = urban || random() < 0.15;
    const code = `${town.code.slice(0, 9)}${String(community ? k : 200 + k).padStart(3, '0')}`;
    units.push({ id: syntheticId(i + 1, seed), code, kind: community ? 'COMMUNITY' : 'VILLAGE' });
  }
  return { counties: CHENGDU_COUNTIES, towns, units };
}

/** Held units' reasons, as the sources name them. */
const BLOCK_REASONS = ['软弱涣散党组织整顿中(先整顿、再换届)', '信访举报核查中', '离任经济责任审计未完成'];

/**
 * Both transitions of every unit with their progress: about a quarter done (some finishing today),
 * half in progress (a third of them moving today), a sixth not started and one in twelve held.
 */
export function planProgress(units: readonly SeedUnit[], seed = 20260104): TransitionPlan[] {
  const random = seededRandom(seed + 7);
  const plans: TransitionPlan[] = [];
  for (const unit of units) {
    const kinds: CommitteeKind[] = ['PARTY', unit.kind === 'COMMUNITY' ? 'RESIDENTS' : 'VILLAGERS'];
    const r = random();
    for (const committeeKind of kinds) {
      const template = templateForKind(committeeKind);
      const total = template.steps.length;
      // The unit's fate decides both committees roughly alike: units move as a whole.
      let done: number;
      let blockedReason: string | null = null;
      if (r < 0.25) done = total;
      else if (r < 0.75) done = 1 + Math.floor(random() * (total - 1));
      else if (r < 0.917) done = 0;
      else {
        done = Math.floor(random() * (total / 2));
        blockedReason = BLOCK_REASONS[Math.floor(random() * BLOCK_REASONS.length)]!;
      }
      const moving = done > 0 && blockedReason === null && random() < 0.3;
      const doneToday = moving ? Math.min(done, 1 + Math.floor(random() * 3)) : 0;
      plans.push({
        unit,
        committeeKind,
        templateCode: template.code,
        total,
        done,
        doneToday,
        startedDaysAgo: 3 + Math.floor(random() * 40),
        blockedReason,
      });
    }
  }
  return plans;
}

/** Opens every planned transition in one statement (as openTransitions would, without the API). */
export async function seedTransitions(db: Queryable, cycleId: string, plans: readonly TransitionPlan[]): Promise<void> {
  await db.query(
    `INSERT INTO transition (id, cycle_id, org_unit_id, org_unit_code, region_path, committee_kind, template_code)
     SELECT gen_random_uuid(), $1::uuid, u.org_unit_id, u.code, u.path, u.kind, u.template
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(org_unit_id, code, path, kind, template)
     ON CONFLICT (cycle_id, org_unit_id, committee_kind) DO NOTHING`,
    [
      cycleId,
      plans.map((p) => p.unit.id),
      plans.map((p) => p.unit.code),
      plans.map((p) => regionPathFromCode(p.unit.code)),
      plans.map((p) => p.committeeKind),
      plans.map((p) => p.templateCode),
    ],
  );
}

/**
 * Writes the planned completions of the cycle's transitions (found by unit code and committee):
 * one UPDATE for the held ones and one INSERT … SELECT … generate_series for the steps, each
 * transition's first `done` steps in template order. Older steps are spread over the days since
 * the start, the last `doneToday` between Shanghai's midnight and `now`.
 */
export async function seedCompletions(db: Queryable, cycleId: string, plans: readonly TransitionPlan[], now: Date, todayStartsAt: Date): Promise<void> {
  for (const kind of ['PARTY', 'RESIDENTS', 'VILLAGERS'] as const) {
    const template = templateForKind(kind);
    const index = new Map(template.steps.map((s, i) => [s.code, i]));
    for (const [i, s] of template.steps.entries()) {
      if (s.dependsOn.some((d) => (index.get(d) ?? Infinity) >= i)) throw new Error(`${template.code}: ${s.code} is listed before its prerequisite`);
    }
  }
  const blocked = plans.filter((p) => p.blockedReason !== null);
  await db.query(
    `UPDATE transition t SET blocked_reason = b.reason, blocked_since = $4::timestamptz - interval '2 days'
       FROM unnest($2::text[], $3::text[], $5::text[]) AS b(code, kind, reason)
      WHERE t.cycle_id = $1::uuid AND t.org_unit_code = b.code AND t.committee_kind = b.kind`,
    [cycleId, blocked.map((p) => p.unit.code), blocked.map((p) => p.committeeKind), todayStartsAt, blocked.map((p) => p.blockedReason)],
  );
  const moving = plans.filter((p) => p.done > 0);
  const party = templateForKind('PARTY').steps.map((s) => s.code);
  const other = templateForKind('RESIDENTS').steps.map((s) => s.code); // the villagers' template has the same codes
  await db.query(
    `INSERT INTO transition_step (transition_id, step_code, completed_by, completed_at, note, recorded_by)
     SELECT t.id,
            CASE WHEN p.kind = 'PARTY' THEN ($7::text[])[g] ELSE ($8::text[])[g] END,
            '镇(街道)换届工作组',
            CASE WHEN g > p.done - p.today
                 THEN $5::timestamptz + ($6::timestamptz - $5::timestamptz) * ((g - (p.done - p.today))::float8 / (p.today + 1))
                 ELSE $5::timestamptz - make_interval(days => p.days) * (1 - (g::float8 / (p.done - p.today + 1)))
            END,
            '会议记录及公示照片存档',
            'seed'
       FROM unnest($2::text[], $3::text[], $4::int[], $9::int[], $10::int[]) AS p(code, kind, done, today, days)
       JOIN transition t ON t.cycle_id = $1::uuid AND t.org_unit_code = p.code AND t.committee_kind = p.kind
       CROSS JOIN LATERAL generate_series(1, p.done) AS g`,
    [
      cycleId,
      moving.map((p) => p.unit.code),
      moving.map((p) => p.committeeKind),
      moving.map((p) => p.done),
      todayStartsAt,
      now,
      party,
      other,
      moving.map((p) => p.doneToday),
      moving.map((p) => p.startedDaysAgo),
    ],
  );
}

export interface ExpectedRow {
  regionCode: string;
  units: number;
  done: number;
  inProgress: number;
  notStarted: number;
  blocked: number;
  stepsDone: number;
  stepsTotal: number;
  completionBasisPoints: number;
  stepsCompletedToday: number;
  unitsDoneToday: number;
  basisPointsYesterday: number;
}

/**
 * What the report must say for a region, computed from the plan alone (no SQL): per unit the sum
 * over its transitions, classified as the report's definition has it, then per child region.
 */
export function expectedProgress(plans: readonly TransitionPlan[], regionCode: string, childCodeLength: number, committeeKind: CommitteeKind | null = null) {
  const regionPath = regionPathFromCode(regionCode);
  const byUnit = new Map<string, { child: string; total: number; done: number; today: number; blocked: boolean }>();
  for (const p of plans) {
    if (committeeKind !== null && p.committeeKind !== committeeKind) continue;
    const path = regionPathFromCode(p.unit.code);
    if (!(path === regionPath || path.startsWith(`${regionPath}.`))) continue;
    const u = byUnit.get(p.unit.id) ?? { child: childRegionCode(p.unit.code, childCodeLength), total: 0, done: 0, today: 0, blocked: false };
    u.total += p.total;
    u.done += p.done;
    u.today += p.doneToday;
    u.blocked ||= p.blockedReason !== null;
    byUnit.set(p.unit.id, u);
  }
  const rows = new Map<string, ExpectedRow>();
  const add = (key: string, u: { total: number; done: number; today: number; blocked: boolean }) => {
    const row = rows.get(key) ?? {
      regionCode: key, units: 0, done: 0, inProgress: 0, notStarted: 0, blocked: 0,
      stepsDone: 0, stepsTotal: 0, completionBasisPoints: 0, stepsCompletedToday: 0, unitsDoneToday: 0, basisPointsYesterday: 0,
    };
    row.units++;
    if (u.done === u.total) row.done++;
    else if (u.blocked) row.blocked++;
    else if (u.done === 0) row.notStarted++;
    else row.inProgress++;
    row.stepsDone += u.done;
    row.stepsTotal += u.total;
    row.stepsCompletedToday += u.today;
    if (u.done === u.total && u.today > 0) row.unitsDoneToday++;
    row.completionBasisPoints = basisPoints(row.stepsDone, row.stepsTotal);
    row.basisPointsYesterday = basisPoints(row.stepsDone - row.stepsCompletedToday, row.stepsTotal);
    rows.set(key, row);
  };
  for (const u of byUnit.values()) {
    add('total', u);
    add(u.child, u);
  }
  const total = rows.get('total');
  rows.delete('total');
  return { total: total ? { ...total, regionCode } : undefined, children: [...rows.values()] };
}
