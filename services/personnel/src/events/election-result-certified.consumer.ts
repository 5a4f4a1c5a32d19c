import type { DataSource } from 'typeorm';
import { createInboxHandler, ElectionResultCertified, PermanentError, type EventHandler } from '@huanjie/events';
import { DomainError } from '@huanjie/platform';
import type { CommitteeWriter } from '../commands/committee-writer';
import { formTerm } from '../commands/term.commands';

export interface ElectionConsumerDeps {
  dataSource: DataSource;
  newId: () => string;
  clock: () => Date;
}

/** personnel acting on an event: nationwide scope, and the event named as the request. */
export function systemWriter(deps: ElectionConsumerDeps, event: { id: string; name: string }): CommitteeWriter {
  return { scopePath: '', actor: `system:${event.name}`, requestId: event.id, newId: deps.newId, now: deps.clock() };
}

/**
 * A result that breaks the rules (eight members on a villagers' committee, two secretaries, a
 * term overlapping the current one) will break them on every retry: it goes to the dead-letter
 * topic with the rule named, rather than being retried for ever.
 */
export async function permanentOnRuleBreach<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw new PermanentError(`${error.rule}: ${error.message}`);
    throw error;
  }
}

/**
 * 选举结果确认 → 新一届班子: the winners of a certified election form the new term of the
 * committee and the current term ends — once, however often the event arrives (inbox).
 */
export function electionResultCertifiedHandler(deps: ElectionConsumerDeps): EventHandler {
  return createInboxHandler({
    dataSource: deps.dataSource,
    consumer: 'personnel.form-term',
    event: ElectionResultCertified,
    handle: (data, manager, event) =>
      permanentOnRuleBreach(() =>
        formTerm(
          manager,
          systemWriter(deps, event),
          {
            orgUnitId: data.orgUnitId,
            kind: data.committeeKind,
            partyOrgForm: data.partyOrgForm,
            startsOn: data.termStartsOn,
            endsOn: data.termEndsOn,
            roster: data.elected,
            electionId: data.electionId,
          },
          'formTermFromElection',
        ),
      ).then(() => undefined),
  });
}
