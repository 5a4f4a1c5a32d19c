import { badInput, conflict, isIsoDate } from '@huanjie/platform';

/**
 * 老带新 (source 004, Baoshan: 老书记带教计划, “老带新、传帮带”的定向培训): a former secretary
 * guides a new one. A former secretary may mentor several; a new secretary has one mentor at a
 * time (two running pairs for one mentee overlap: CONFLICT).
 */
export interface MentorshipInput {
  mentorPersonId: string;
  menteePersonId: string;
  startsOn: string;
  endsOn: string | null;
}

export function checkMentorship(input: MentorshipInput): void {
  if (input.mentorPersonId === input.menteePersonId) throw badInput('MENTORSHIP.SELF', 'MENTORSHIP.SELF: a person does not mentor themselves');
  if (!isIsoDate(input.startsOn)) throw badInput('MENTORSHIP.STARTS_ON', `MENTORSHIP.STARTS_ON: startsOn must be yyyy-mm-dd, got ${JSON.stringify(input.startsOn)}`);
  if (input.endsOn !== null) checkEnd(input.startsOn, input.endsOn);
}

export function checkEnd(startsOn: string, endsOn: string): void {
  if (!isIsoDate(endsOn)) throw badInput('MENTORSHIP.ENDS_ON', `MENTORSHIP.ENDS_ON: endsOn must be yyyy-mm-dd, got ${JSON.stringify(endsOn)}`);
  if (endsOn < startsOn) throw badInput('MENTORSHIP.ENDS_ON', `MENTORSHIP.ENDS_ON: endsOn ${endsOn} is before startsOn ${startsOn}`);
}

/** Two periods overlap; an open end runs for ever. */
export function overlaps(a: { startsOn: string; endsOn: string | null }, b: { startsOn: string; endsOn: string | null }): boolean {
  return (a.endsOn === null || b.startsOn <= a.endsOn) && (b.endsOn === null || a.startsOn <= b.endsOn);
}

export function checkNoOverlap(input: MentorshipInput, others: readonly { startsOn: string; endsOn: string | null }[]): void {
  if (others.some((o) => overlaps(input, o))) {
    throw conflict('MENTORSHIP.MENTEE_PAIRED', 'MENTORSHIP.MENTEE_PAIRED: this new secretary already has a mentor for part of that period; end that pairing first');
  }
}

/** A pair is active on a day from its start up to and including its end day. */
export function isActive(m: { startsOn: string; endsOn: string | null }, today: string): boolean {
  return m.startsOn <= today && (m.endsOn === null || today <= m.endsOn);
}

export function checkMeeting(input: { heldOn: string; topic: string }, pair: { startsOn: string; endsOn: string | null }, today: string): void {
  if (!isIsoDate(input.heldOn)) throw badInput('MEETING.HELD_ON', `MEETING.HELD_ON: heldOn must be yyyy-mm-dd, got ${JSON.stringify(input.heldOn)}`);
  if (input.heldOn > today) throw badInput('MEETING.HELD_ON', `MEETING.HELD_ON: heldOn ${input.heldOn} is in the future`);
  if (input.heldOn < pair.startsOn || (pair.endsOn !== null && input.heldOn > pair.endsOn)) {
    throw badInput('MEETING.OUTSIDE_PAIRING', `MEETING.OUTSIDE_PAIRING: ${input.heldOn} lies outside the pairing (${pair.startsOn} – ${pair.endsOn ?? 'open'})`);
  }
  const topic = input.topic.trim();
  if (topic.length < 2 || Array.from(topic).length > 500) throw badInput('MEETING.TOPIC', 'MEETING.TOPIC: topic must be 2–500 characters');
}
