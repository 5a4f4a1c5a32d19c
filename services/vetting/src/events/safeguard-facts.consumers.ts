import type { DataSource } from 'typeorm';
import {
  ComplaintSubstantiated,
  createInboxHandler,
  inboxSubscription,
  PersonRegistered,
  PersonUpdated,
  PositionAssigned,
  PositionEnded,
  topicOf,
  type SubscribeOptions,
} from '@huanjie/events';
import { writeAudit } from '@huanjie/platform';
import { FactsStore } from '../db/facts.store';
import { refreshPreChecksOf } from '../db/safeguards';
import { SafeguardStore } from '../db/safeguards.store';
import { SAFEGUARD_POLICY } from '../domain/safeguard-policy.data';

export interface FactConsumerDeps {
  dataSource: DataSource;
  newId: () => string;
  now: () => Date;
}

/**
 * 人员信息 → person_fact: the birth date and gender the secretary age rule needs (nothing else of
 * the person is kept). Registered and updated travel on one topic keyed by person, so one group
 * takes both, in order. The person's undecided reviews are pre-checked again.
 */
export function personFactsSubscription(deps: FactConsumerDeps): SubscribeOptions {
  const handlers = [PersonRegistered, PersonUpdated].map((event) =>
    createInboxHandler({
      dataSource: deps.dataSource,
      consumer: 'vetting.person-facts',
      event,
      handle: async (data, manager, envelope) => {
        await new FactsStore(manager).upsertPerson({
          person_id: data.personId,
          birth_date: data.birthDate,
          gender: data.gender,
          region_path: data.regionPath,
          at: new Date(envelope.time),
        });
        await refreshPreChecksOf(manager, [data.personId], deps.now());
      },
    }),
  );
  return {
    group: 'vetting.person-facts',
    topics: [topicOf(PersonRegistered)],
    handler: async (event) => {
      // Each handler skips events of other names.
      for (const handle of handlers) await handle(event);
    },
  };
}

/**
 * 任职/离任 → seat_fact: who sits where now (近亲属回避 and the secretaries who must sign). A seat
 * that ends for a reason in the policy (every reason but RESULT_VOIDED, see safeguard-policy.data)
 * opens its 离任审计, once per seat however often the event comes.
 */
export function seatFactsSubscription(deps: FactConsumerDeps): SubscribeOptions {
  const assigned = createInboxHandler({
    dataSource: deps.dataSource,
    consumer: 'vetting.seat-facts',
    event: PositionAssigned,
    handle: async (data, manager) => {
      const facts = new FactsStore(manager);
      await facts.seatAssigned(seatOf(data));
      await refreshPreChecksOf(manager, await facts.relativesOf(data.personId), deps.now());
    },
  });
  const ended = createInboxHandler({
    dataSource: deps.dataSource,
    consumer: 'vetting.seat-facts',
    event: PositionEnded,
    handle: async (data, manager, envelope) => {
      const facts = new FactsStore(manager);
      await facts.seatEnded({ ...seatOf(data), ends_on: data.endsOn, end_reason: data.endReason });
      if (SAFEGUARD_POLICY.auditOnPositionEnd.value.includes(data.endReason)) {
        const actor = `system:${envelope.name}`;
        const audit = await new SafeguardStore(manager, '').insertAudit({
          id: deps.newId(),
          person_id: data.personId,
          org_unit_id: data.orgUnitId,
          region_path: data.regionPath,
          position_id: data.positionId,
          role: data.role,
          origin: 'POSITION_ENDED',
          end_reason: data.endReason,
          opened_on: data.endsOn,
          opened_by: actor,
        });
        if (audit) {
          await writeAudit(manager, {
            actor,
            action: 'openDepartureAudit',
            entityType: 'DepartureAudit',
            entityId: audit.id,
            regionPath: audit.region_path,
            requestId: envelope.id,
            before: null,
            after: { ...audit },
          });
        }
      }
      await refreshPreChecksOf(manager, await facts.relativesOf(data.personId), deps.now());
    },
  });
  return {
    group: 'vetting.seat-facts',
    topics: [topicOf(PositionAssigned)],
    handler: async (event) => {
      await assigned(event);
      await ended(event);
    },
  };
}

function seatOf(data: {
  positionId: string;
  committeeId: string;
  committeeKind: string;
  orgUnitId: string;
  regionPath: string;
  personId: string;
  role: string;
  startsOn: string;
}) {
  return {
    position_id: data.positionId,
    committee_id: data.committeeId,
    committee_kind: data.committeeKind,
    org_unit_id: data.orgUnitId,
    region_path: data.regionPath,
    person_id: data.personId,
    role: data.role,
    starts_on: data.startsOn,
  };
}

/**
 * 查实 → complaint_fact: which substantiated complaint names whom, and on what ground (the
 * complainant is never in the event). Separate from the reviews' own consumer that reopens them;
 * this one re-runs the pre-checks of the people named, whichever consumer comes first.
 */
export function complaintFactsSubscription(deps: FactConsumerDeps): SubscribeOptions {
  return inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'vetting.complaint-facts',
    event: ComplaintSubstantiated,
    handle: async (data, manager) => {
      await new FactsStore(manager).complaintSubstantiated({
        complaint_id: data.complaintId,
        person_ids: data.subjectPersonIds,
        category: data.category,
        election_id: data.electionId,
        org_unit_id: data.orgUnitId,
        region_path: data.regionPath,
        substantiated_at: new Date(data.substantiatedAt),
      });
      await refreshPreChecksOf(manager, data.subjectPersonIds, deps.now());
    },
  });
}
