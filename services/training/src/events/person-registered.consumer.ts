import { inboxSubscription, PersonRegistered, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { TrainingRecordStore } from '../db/training-record.store';

/** Every registered person gets a training file (培训档案), once, however often the event arrives. */
export function personRegisteredConsumer(deps: { dataSource: DataSource; newId: () => string }): SubscribeOptions {
  return inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'training.open-training-record',
    event: PersonRegistered,
    handle: async (data, manager, event) => {
      await new TrainingRecordStore(manager, '').insert({
        id: deps.newId(),
        person_id: data.personId,
        org_unit_id: data.orgUnitId,
        region_path: data.regionPath,
        opened_at: new Date(event.time),
      });
    },
  });
}
