import type { ComplaintTarget, SeedComplaint } from '../generate/types';
import type { LoadContext } from './context';
import type { LoadedElection } from './elections';
import type { Graph } from './graph';
import type { IdMap } from './id-map';
import { forEachLimit } from './progress';

/**
 * 信访举报 as 纪委监委 handles them (services/complaints/COMPLAINTS.md): received, then taken through
 * 受理 → 交办 (to the township) → 调查 → 查实/查否 → 办结 as far as the data set says, or rejected.
 * A substantiated vote-buying case against a candidate disqualifies them (三个一律, by events).
 */
const RECEIVE = `mutation SeedReceiveComplaint($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id } }`;
const step = (mutation: string, inputType: string) =>
  `mutation SeedComplaintStep($input: ${inputType}!) { ${mutation}(input: $input) { status } }`;
const ACCEPT = step('acceptComplaint', 'ComplaintStepInput');
const REJECT = step('rejectComplaint', 'ComplaintReasonInput');
const ASSIGN = step('assignComplaint', 'AssignComplaintInput');
const INVESTIGATE = step('startInvestigation', 'ComplaintStepInput');
const SUBSTANTIATE = step('substantiateComplaint', 'SubstantiateComplaintInput');
const UNSUBSTANTIATE = step('unsubstantiateComplaint', 'ComplaintReasonInput');
const CLOSE = step('closeComplaint', 'CloseComplaintInput');

const ORDER: ComplaintTarget[] = ['RECEIVED', 'ACCEPTED', 'ASSIGNED', 'INVESTIGATING'];
const reached = (target: ComplaintTarget, stage: ComplaintTarget) =>
  target !== 'REJECTED' && (ORDER.indexOf(target) >= ORDER.indexOf(stage) || !ORDER.includes(target));

async function loadComplaint(
  graph: Graph,
  c: SeedComplaint,
  ids: IdMap,
  elections: ReadonlyMap<string, LoadedElection>,
  townOf: (code: string) => string,
): Promise<void> {
  const { receiveComplaint } = await graph.send<{ receiveComplaint: { id: string } }>('DISCIPLINE', RECEIVE, {
    input: {
      channel: c.channel,
      category: c.category,
      summary: c.summary,
      orgUnitId: ids.unit(c.unitCode),
      regionCode: c.unitCode,
      ...(c.electionKey ? { electionId: elections.get(c.electionKey)!.id } : {}),
      subjectPersonIds: c.subjectPersonKeys.map((k) => ids.person(k)),
      ...(c.complainant ? { complainant: c.complainant } : {}),
    },
  });
  const complaintId = receiveComplaint.id;
  const send = (query: string, extra: Record<string, unknown> = {}) =>
    graph.send('DISCIPLINE', query, { input: { complaintId, ...extra } });
  if (c.target === 'REJECTED') return void (await send(REJECT, { reason: '反映事项不属于本次换届工作范围,已告知向有关部门反映' }));
  if (reached(c.target, 'ACCEPTED')) await send(ACCEPT);
  if (reached(c.target, 'ASSIGNED')) await send(ASSIGN, { orgUnitId: ids.unit(townOf(c.unitCode)), investigator: c.investigator });
  if (reached(c.target, 'INVESTIGATING')) await send(INVESTIGATE);
  if (c.target.endsWith('UNSUBSTANTIATED')) await send(UNSUBSTANTIATE, { reason: '经调查核实,反映问题不属实' });
  else if (c.target.endsWith('SUBSTANTIATED')) await send(SUBSTANTIATE, { reason: '经调查核实,反映问题基本属实' });
  if (c.target.startsWith('CLOSED')) await send(CLOSE, { resolution: '已向反映人反馈调查结果,按规定办结' });
}

export async function loadComplaints(
  { graph, data, concurrency, progress }: LoadContext,
  ids: IdMap,
  elections: ReadonlyMap<string, LoadedElection>,
): Promise<number> {
  const parent = new Map(data.units.map((u) => [u.code, u.parentCode ?? u.code]));
  await forEachLimit(
    data.complaints,
    concurrency,
    (c) => loadComplaint(graph, c, ids, elections, (code) => parent.get(code)!),
    progress('complaints (receiveComplaint and workflow)', data.complaints.length),
  );
  return data.complaints.length;
}
