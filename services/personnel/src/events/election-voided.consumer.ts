import { createInboxHandler, ElectionVoided, type EventHandler } from '@huanjie/events';
import { shanghaiDate } from '@huanjie/platform';
import { voidElectionSeats } from '../commands/position.commands';
import { permanentOnRuleBreach, systemWriter, type ElectionConsumerDeps } from './election-result-certified.consumer';

/**
 * 选举结果无效 → 离任: the winners named in the void leave the seats that election gave them
 * (RESULT_VOIDED), on the day, in Beijing, the void was declared — once, however often it arrives.
 */
export function electionVoidedHandler(deps: ElectionConsumerDeps): EventHandler {
  return createInboxHandler({
    dataSource: deps.dataSource,
    consumer: 'personnel.void-seats',
    event: ElectionVoided,
    handle: (data, manager, event) =>
      permanentOnRuleBreach(() =>
        voidElectionSeats(manager, systemWriter(deps, event), {
          electionId: data.electionId,
          orgUnitId: data.orgUnitId,
          committeeKind: data.committeeKind,
          personIds: data.personIds,
          voidedOn: shanghaiDate(new Date(data.voidedAt)),
        }),
      ).then(() => undefined),
  });
}
