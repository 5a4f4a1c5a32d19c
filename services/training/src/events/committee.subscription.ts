import { createInboxHandler, PositionAssigned, PositionEnded, TermStarted, topicOf, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { onboardSeat, openChecklist, seatLeft } from '../commands/onboarding.commands';

/**
 * personnel.committee.v1 → onboarding. One consumer group for the topic's three events: they share
 * the committee's key, hence a partition, and one group handles a term's start, its seats and
 * their ends in that order (two groups could see a seat end before it began).
 * - TermStarted: the new committee's 十个一 checklist;
 * - PositionAssigned: the seat (for the report) and the member's onboarding enrolment;
 * - PositionEnded: the seat ends (the report counts sitting secretaries).
 * Each is idempotent twice over: the inbox skips a repeated event id, and the keys (one checklist
 * per term, one onboarding per person and term, one open enrolment per person and course) skip a
 * fact published again under a new id.
 */
export function committeeSubscription(deps: { dataSource: DataSource; newId: () => string; now: () => Date }): SubscribeOptions {
  const consumer = 'training.onboarding';
  const system = (name: string, id: string) => ({ userId: `system:${name}`, requestId: id });
  const handlers = [
    createInboxHandler({
      dataSource: deps.dataSource,
      consumer,
      event: TermStarted,
      handle: (data, manager, envelope) => openChecklist(manager, deps, system(envelope.name, envelope.id), data),
    }),
    createInboxHandler({
      dataSource: deps.dataSource,
      consumer,
      event: PositionAssigned,
      handle: (data, manager, envelope) => onboardSeat(manager, deps, system(envelope.name, envelope.id), data),
    }),
    createInboxHandler({
      dataSource: deps.dataSource,
      consumer,
      event: PositionEnded,
      handle: (data, manager) => seatLeft(manager, data),
    }),
  ];
  return {
    group: consumer,
    topics: [topicOf(TermStarted)],
    handler: async (event) => {
      for (const handle of handlers) await handle(event);
    },
  };
}
