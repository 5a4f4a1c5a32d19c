import { shanghaiDate } from '@huanjie/platform';
import { addDays } from '../generate/calendar';
import type { LoadContext } from './context';
import type { IdMap } from './id-map';
import { forEachLimit } from './progress';

/** 一村一策 risk register (recordRiskItem); the review date counts from the day of the load (it may not lie in the past). */
const RECORD_RISK = `mutation SeedRisk($input: RecordRiskItemInput!) { recordRiskItem(input: $input) { id } }`;

export async function loadRiskItems(
  { graph, data, concurrency, progress }: LoadContext,
  ids: IdMap,
  now: Date = new Date(),
): Promise<number> {
  const today = shanghaiDate(now);
  await forEachLimit(
    data.riskItems,
    concurrency,
    async (r) => {
      await graph.send('ORG_ADMIN', RECORD_RISK, {
        input: {
          orgUnitId: ids.unit(r.unitCode),
          regionCode: r.unitCode,
          type: r.type,
          level: r.level,
          title: r.title,
          ownerPersonId: ids.person(r.ownerPersonKey),
          mitigationPlan: r.mitigationPlan,
          reviewOn: addDays(today, r.reviewInDays),
        },
      });
    },
    progress('risk register (recordRiskItem)', data.riskItems.length),
  );
  return data.riskItems.length;
}
