import { shanghaiDate } from '@huanjie/platform';
import { addDays } from '../generate/calendar';
import type { SeedSession } from '../generate/types';
import type { LoadContext } from './context';
import type { IdMap } from './id-map';
import { forEachLimit } from './progress';

/**
 * Each district's courses (createCourse), their sessions (scheduleSession), the head counts of the
 * large ones (recordHeadCount) and the rolls of the rotation classes (enrol), as the 党校 enters them.
 */
const CREATE_COURSE = `mutation SeedCourse($input: CreateCourseInput!) { createCourse(input: $input) { id } }`;
const SCHEDULE = `mutation SeedSession($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`;
const HEAD_COUNT = `mutation SeedHeadCount($input: RecordHeadCountInput!) { recordHeadCount(input: $input) { id } }`;
const ENROL = `mutation SeedEnrol($input: EnrolInput!) { enrol(input: $input) { id } }`;

/** A session's dates: fixed, or counted from the day of the load. */
function datesOf(s: SeedSession, today: string): { startsOn: string; endsOn: string } {
  if ('startsOn' in s.dates) return s.dates;
  const startsOn = addDays(today, s.dates.startsInDays);
  return { startsOn, endsOn: addDays(startsOn, s.dates.lengthDays - 1) };
}

export async function loadTraining(
  { graph, data, concurrency, progress }: LoadContext,
  ids: IdMap,
  now: Date = new Date(),
): Promise<{ courses: number; sessions: number; enrolments: number }> {
  const today = shanghaiDate(now);
  const unitOf = new Map(data.people.map((p) => [p.key, p.unitCode]));
  const sessions: { courseId: string; session: SeedSession }[] = [];
  for (const course of data.courses) {
    const { sessions: planned, key: _key, ...input } = course;
    const { createCourse } = await graph.send<{ createCourse: { id: string } }>('TRAINER', CREATE_COURSE, { input });
    for (const session of planned) sessions.push({ courseId: createCourse.id, session });
  }
  const roll: { sessionId: string; personKey: string }[] = [];
  await forEachLimit(
    sessions,
    concurrency,
    async ({ courseId, session: s }) => {
      const { scheduleSession } = await graph.send<{ scheduleSession: { id: string } }>('TRAINER', SCHEDULE, {
        input: {
          courseId,
          ...datesOf(s, today),
          place: s.place,
          online: false,
          mode: s.mode,
          capacity: s.capacity,
          trainer: s.trainer,
          regionCode: s.regionCode,
        },
      });
      if (s.participants !== null)
        await graph.send('TRAINER', HEAD_COUNT, { input: { sessionId: scheduleSession.id, participants: s.participants } });
      for (const personKey of s.enrolPersonKeys) roll.push({ sessionId: scheduleSession.id, personKey });
    },
    progress('training sessions (scheduleSession, recordHeadCount)', sessions.length),
  );
  await forEachLimit(
    roll,
    concurrency,
    async ({ sessionId, personKey }) => {
      const unitCode = unitOf.get(personKey)!;
      await graph.send('TRAINER', ENROL, {
        input: { sessionId, personId: ids.person(personKey), orgUnitId: ids.unit(unitCode), orgUnitCode: unitCode },
      });
    },
    progress('training rolls (enrol)', roll.length),
  );
  return { courses: data.courses.length, sessions: sessions.length, enrolments: roll.length };
}
