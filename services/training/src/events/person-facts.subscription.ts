import { createInboxHandler, PersonRegistered, PersonUpdated, topicOf, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { FactsStore } from '../db/facts.store';

/**
 * personnel.person.v1 → the person's training file (培训档案), opened once however often the
 * event comes, with the one fact of the person the coverage report needs: whether they are a
 * reserve cadre (后备干部), and their unit. Registered and updated share a topic keyed by person:
 * one group takes both, in order. The group keeps the name it had when it handled
 * PersonRegistered alone, so a deployed consumer resumes at its committed offsets.
 */
export function personFactsSubscription(deps: { dataSource: DataSource; newId: () => string }): SubscribeOptions {
  const consumer = 'training.open-training-record';
  const handlers = [PersonRegistered, PersonUpdated].map((event) =>
    createInboxHandler({
      dataSource: deps.dataSource,
      consumer,
      event,
      handle: async (data, manager, envelope) => {
        await new FactsStore(manager).upsertPerson({
          id: deps.newId(),
          person_id: data.personId,
          org_unit_id: data.orgUnitId,
          region_path: data.regionPath,
          reserve: data.reserve,
          at: new Date(envelope.time),
        });
      },
    }),
  );
  return {
    group: consumer,
    topics: [topicOf(PersonRegistered)],
    // Each event touches its own person's file only: the topic's partitions can be worked at once
    // (a city's register import, 21,000 events, is applied about three times as fast; infra/bench).
    partitionsConcurrently: 3,
    handler: async (event) => {
      // Each handler skips events of other names.
      for (const handle of handlers) await handle(event);
    },
  };
}
