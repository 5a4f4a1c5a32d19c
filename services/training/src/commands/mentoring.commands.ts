import { notFound, requireInScope, shanghaiDate } from '@huanjie/platform';
import { MentoringStore, type MeetingRow, type MentorshipRow } from '../db/mentoring.store';
import type { TrainingContext } from '../deps';
import { checkEnd, checkMeeting, checkMentorship, checkNoOverlap } from '../domain/mentoring.rules';
import { actorOf, audit, GUIDES, regionInScope, requirePersonInScope, requireUuid, runCommand } from './command-kit';

export interface PairMentorInput {
  /** 老书记 — the former secretary who mentors (owned by personnel). */
  mentorPersonId: string;
  /** 新书记 — the new secretary (owned by personnel). */
  menteePersonId: string;
  /** The new secretary's unit: its id and 行政区划代码 (within your scope). */
  orgUnitId: string;
  orgUnitCode: string;
  startsOn: string;
  endsOn?: string | null;
}

/** 老带新: pairs a former secretary with a new one; a mentor may have several, a mentee one at a time. */
export async function pairMentor(ctx: TrainingContext, input: PairMentorInput): Promise<MentorshipRow> {
  requireUuid('MENTORSHIP.MENTOR', 'mentorPersonId', input.mentorPersonId);
  requireUuid('MENTORSHIP.MENTEE', 'menteePersonId', input.menteePersonId);
  requireUuid('MENTORSHIP.ORG_UNIT', 'orgUnitId', input.orgUnitId);
  const pair = { mentorPersonId: input.mentorPersonId, menteePersonId: input.menteePersonId, startsOn: input.startsOn, endsOn: input.endsOn ?? null };
  checkMentorship(pair);
  const regionPath = regionInScope(ctx.auth, input.orgUnitCode, "the new secretary's unit");
  return runCommand(ctx, GUIDES, 'pairMentor', async (manager) => {
    await requirePersonInScope(manager, ctx.auth, input.menteePersonId, 'the new secretary (by their unit on file)');
    const store = new MentoringStore(manager, ctx.auth.regionPath);
    const others = await store.ofMenteeLocked(input.menteePersonId);
    checkNoOverlap(pair, others.map((o) => ({ startsOn: o.starts_on, endsOn: o.ends_on })));
    const row = await store.insert({
      id: ctx.deps.newId(),
      mentor_person_id: input.mentorPersonId,
      mentee_person_id: input.menteePersonId,
      org_unit_id: input.orgUnitId,
      region_path: regionPath,
      starts_on: input.startsOn,
      ends_on: pair.endsOn,
      created_by: ctx.auth.userId,
      created_at: ctx.deps.now(),
    });
    await audit(manager, actorOf(ctx), 'pairMentor', { type: 'Mentorship', id: row.id, regionPath }, null, row);
    return row;
  });
}

async function lockedPair(store: MentoringStore, id: string): Promise<MentorshipRow> {
  const [pair] = await store.byIds([id], true);
  if (!pair) throw notFound('MENTORSHIP.NOT_FOUND', `MENTORSHIP.NOT_FOUND: no mentoring pair ${id} within your region scope`);
  return pair;
}

/** Sets (or moves) the pairing's end date. */
export async function endMentorship(ctx: TrainingContext, input: { mentorshipId: string; endsOn: string }): Promise<MentorshipRow> {
  requireUuid('MENTORSHIP.ID', 'mentorshipId', input.mentorshipId);
  return runCommand(ctx, GUIDES, 'endMentorship', async (manager) => {
    const store = new MentoringStore(manager, ctx.auth.regionPath);
    const before = await lockedPair(store, input.mentorshipId);
    requireInScope(ctx.auth, before.region_path, 'the mentoring pair');
    checkEnd(before.starts_on, input.endsOn);
    const after = await store.end(before.id, input.endsOn);
    await audit(manager, actorOf(ctx), 'endMentorship', { type: 'Mentorship', id: after.id, regionPath: after.region_path }, before, after);
    return after;
  });
}

/** 带教记录: one meeting of the pair (书记沙龙, 书记门诊, a walk through the election's procedure …). */
export async function logMentorshipMeeting(ctx: TrainingContext, input: { mentorshipId: string; heldOn: string; topic: string }): Promise<MeetingRow> {
  requireUuid('MENTORSHIP.ID', 'mentorshipId', input.mentorshipId);
  return runCommand(ctx, GUIDES, 'logMentorshipMeeting', async (manager) => {
    const store = new MentoringStore(manager, ctx.auth.regionPath);
    const pair = await lockedPair(store, input.mentorshipId);
    checkMeeting(input, { startsOn: pair.starts_on, endsOn: pair.ends_on }, shanghaiDate(ctx.deps.now()));
    const meeting = await store.insertMeeting({
      id: ctx.deps.newId(),
      mentorship_id: pair.id,
      held_on: input.heldOn,
      topic: input.topic.trim(),
      recorded_by: ctx.auth.userId,
      recorded_at: ctx.deps.now(),
    });
    await audit(manager, actorOf(ctx), 'logMentorshipMeeting', { type: 'Mentorship', id: pair.id, regionPath: pair.region_path }, null, meeting);
    return meeting;
  });
}
