import { addDays, daysBetween } from './calendar';
import { CHENGDU } from './distributions';
import type { DistrictShape } from './geography';
import { spread } from './org-tree';
import { Rng } from './prng';
import type { SeedCourse, SeedPerson, SeedSession, SeedUnit } from './types';

/**
 * Each district's training for the cycle (the district 党校 / 组织部 runs it):
 * - 换届工作人员业务培训: 000 (武侯区) "培训会30余场次,培训1020人次" for 71 communities — 0.42
 *   sessions a unit, 34 people a session, counted by head;
 * - 政策宣讲: 000 (the city) "3.75万场培训会…126.89万人次" — 12.3 sessions a unit, 34 people each.
 *   Only BRIEFING_SAMPLING of them are generated (37,500 would outnumber everything else loaded);
 * - 集中轮训 of secretaries and reserves: 001 "实现党组织书记、村级后备干部轮训全覆盖" — everyone
 *   enrolled on a roll, in classes of ROTATION_CLASS (choice), dated in the weeks after the load
 *   (training takes names on a roll only until the session ends).
 * Dates, places and hours are a choice.
 */
export const BRIEFING_SAMPLING = 0.1;
const WORKER_SESSIONS_PER_UNIT = 30 / 71;
const WORKER_PER_SESSION = 1020 / 30;
const BRIEFINGS_PER_UNIT = CHENGDU.briefings.sessions / CHENGDU.units;
const BRIEFING_SIZE = CHENGDU.briefings.participants / CHENGDU.briefings.sessions;
const ROTATION_CLASS = 100;

function dayBetween(rng: Rng, from: string, to: string): string {
  return addDays(from, rng.int(0, daysBetween(from, to)));
}

export function districtCourses(
  seed: number,
  d: DistrictShape,
  towns: readonly SeedUnit[],
  units: readonly SeedUnit[],
  trainees: readonly SeedPerson[],
): SeedCourse[] {
  const rng = new Rng(seed, `training:${d.code}`);
  const districtCode = `${d.code}000000`;
  const trainer = `${d.name}委党校`;
  const headCount = (regionCode: string, place: string, startsOn: string, participants: number): SeedSession => ({
    regionCode,
    dates: { startsOn, endsOn: startsOn },
    place,
    trainer,
    mode: 'HEAD_COUNT',
    capacity: null,
    participants,
    enrolPersonKeys: [],
  });

  const workerSessions = Array.from({ length: Math.max(1, Math.round(units.length * WORKER_SESSIONS_PER_UNIT)) }, () => {
    const town = rng.pick(towns);
    const size = Math.round(rng.normal(WORKER_PER_SESSION, 8, 10, 80));
    return headCount(town.code, `${town.name}党群服务中心`, dayBetween(rng, '2025-12-15', '2026-01-31'), size);
  });
  const briefings = Array.from({ length: Math.max(1, Math.round(units.length * BRIEFINGS_PER_UNIT * BRIEFING_SAMPLING)) }, () => {
    const unit = rng.pick(units);
    const size = Math.round(rng.normal(BRIEFING_SIZE, 12, 8, 200));
    // 坝坝会 (000): the open-air meetings of Sichuan's villages and courtyards.
    return headCount(
      unit.code,
      `${unit.name}${rng.chance(0.5) ? '坝坝会' : '党群服务中心'}`,
      dayBetween(rng, '2025-12-01', '2026-02-09'),
      size,
    );
  });
  const rotationClasses = spread(trainees.length, Math.max(1, Math.ceil(trainees.length / ROTATION_CLASS)));
  let next = 0;
  const rotation: SeedSession[] = rotationClasses.map((size) => {
    const enrolPersonKeys = trainees.slice(next, next + size).map((p) => p.key);
    next += size;
    // After the 换届, in the weeks after the load: a roll takes names only until its session ends.
    const dates = { startsInDays: rng.int(14, 120), lengthDays: 3 };
    return {
      regionCode: districtCode,
      dates,
      place: `${d.name}委党校`,
      trainer,
      mode: 'ROLL',
      capacity: ROTATION_CLASS,
      participants: null,
      enrolPersonKeys,
    };
  });
  return [
    {
      key: `t:${d.code}:worker`,
      regionCode: districtCode,
      name: `${d.name}村(社区)“两委”换届工作人员业务培训`,
      type: 'ELECTION_WORKER',
      audiences: ['ELECTION_WORKERS'],
      required: true,
      hours: 8,
      sessions: workerSessions,
    },
    {
      key: `t:${d.code}:briefing`,
      regionCode: districtCode,
      name: `${d.name}换届政策宣讲`,
      type: 'POLICY_BRIEFING',
      audiences: ['MEMBERS', 'RESERVES'],
      required: false,
      hours: 2,
      sessions: briefings,
    },
    {
      key: `t:${d.code}:rotation`,
      regionCode: districtCode,
      name: `${d.name}村(社区)党组织书记和后备干部集中轮训`,
      type: 'ROTATION',
      audiences: ['SECRETARIES', 'RESERVES'],
      required: true,
      hours: 24,
      sessions: rotation,
    },
  ];
}
