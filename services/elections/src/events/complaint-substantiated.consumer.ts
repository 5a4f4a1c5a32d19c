import { ComplaintSubstantiated, inboxSubscription, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { voidOnFinding } from '../commands/result.commands';

/**
 * 三个一律: a complaint substantiated for vote-buying, clan or criminal interference against people
 * elected in a certified election voids their election, once, however often the event arrives.
 * Other findings, and findings naming nobody elected, change nothing here.
 */
export function complaintSubstantiatedConsumer(deps: { dataSource: DataSource; newId: () => string; onEventsRecorded: () => void }): SubscribeOptions {
  const subscription = inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'elections.void-on-finding',
    event: ComplaintSubstantiated,
    handle: async (data, manager, event) => {
      await voidOnFinding(manager, { auth: { userId: 'system:ComplaintSubstantiated' }, requestId: event.id, deps: { newId: deps.newId } }, data);
    },
  });
  return {
    ...subscription,
    handler: async (event) => {
      await subscription.handler(event);
      deps.onEventsRecorded();
    },
  };
}
