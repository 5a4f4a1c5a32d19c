import type { EntityManager } from 'typeorm';
import { byIdLoader, shanghaiDate } from '@huanjie/platform';
import { endMentorship, logMentorshipMeeting, pairMentor, type PairMentorInput } from '../commands/mentoring.commands';
import { MentoringStore, type MeetingRow, type MentorshipRow } from '../db/mentoring.store';
import type { TrainingContext } from '../deps';
import { isActive } from '../domain/mentoring.rules';
import { groupedLoader, iso, personRef } from './loaders';

export function createMentoringLoaders(db: EntityManager, scopePath: string) {
  const store = new MentoringStore(db, scopePath);
  return {
    mentorshipById: byIdLoader<MentorshipRow>((ids) => store.byIds(ids)),
    mentorshipsOfPerson: groupedLoader((ids) => store.ofPeople(ids), (m) => m.of_person_id),
    meetingsOf: groupedLoader((ids) => store.meetingsOf(ids), (m) => m.mentorship_id),
  };
}

export const mentoringResolvers = {
  Query: {
    mentorship: (_: unknown, args: { id: string }, ctx: TrainingContext) => ctx.loaders.mentorshipById.load(args.id),
  },
  Mutation: {
    pairMentor: (_: unknown, args: { input: PairMentorInput }, ctx: TrainingContext) => pairMentor(ctx, args.input),
    endMentorship: (_: unknown, args: { input: { mentorshipId: string; endsOn: string } }, ctx: TrainingContext) => endMentorship(ctx, args.input),
    logMentorshipMeeting: (_: unknown, args: { input: { mentorshipId: string; heldOn: string; topic: string } }, ctx: TrainingContext) =>
      logMentorshipMeeting(ctx, args.input),
  },
  Mentorship: {
    __resolveReference: (ref: { id: string }, ctx: TrainingContext) => ctx.loaders.mentorshipById.load(ref.id),
    mentor: (m: MentorshipRow) => personRef(m.mentor_person_id),
    mentee: (m: MentorshipRow) => personRef(m.mentee_person_id),
    orgUnitId: (m: MentorshipRow) => m.org_unit_id,
    regionPath: (m: MentorshipRow) => m.region_path,
    startsOn: (m: MentorshipRow) => m.starts_on,
    endsOn: (m: MentorshipRow) => m.ends_on,
    active: (m: MentorshipRow, _: unknown, ctx: TrainingContext) => isActive({ startsOn: m.starts_on, endsOn: m.ends_on }, shanghaiDate(ctx.deps.now())),
    meetings: (m: MentorshipRow, _: unknown, ctx: TrainingContext) => ctx.loaders.meetingsOf.load(m.id),
  },
  MentorshipMeeting: {
    heldOn: (m: MeetingRow) => m.held_on,
    recordedAt: (m: MeetingRow) => iso(m.recorded_at),
  },
  Person: {
    mentorships: (p: { id: string }, _: unknown, ctx: TrainingContext) => ctx.loaders.mentorshipsOfPerson.load(p.id),
  },
};
