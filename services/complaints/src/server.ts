import { randomUUID } from 'node:crypto';
import { ComplaintReceived, topicOf } from '@huanjie/events';
import type { PiiCipher } from '@huanjie/platform';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { AttemptLimiter } from './commands/attempt-limiter';
import { escalateOverdue } from './commands/escalation.commands';
import { ComplaintStore } from './db/complaint.store';
import type { ComplaintsContext, ComplaintsDeps } from './deps';
import { DEADLINE_POLICIES, type DeadlinePolicy } from './domain/deadlines.rules';
import { candidateNominatedConsumer } from './events/candidate-nominated.consumer';
import { createLoaders, resolvers } from './resolvers';
import { sdl } from './schema';

export const SERVICE_NAME = 'complaints';
/** complaints.complaint.v1: ComplaintReceived, ComplaintSubstantiated, ComplaintClosed. */
export const PUBLISHED_TOPICS = [topicOf(ComplaintReceived)];

export interface ComplaintsServerOptions extends ServiceDeps {
  /** The clock (deadlines, escalation, review dates); tests fix it. */
  now?: () => Date;
  /** @deprecated the earlier name of `now`. */
  clock?: () => Date;
  newId?: () => string;
  /** PII keys: the complainant is stored encrypted. Without them only anonymous complaints are taken. */
  pii?: PiiCipher;
  deadlinePolicies?: readonly DeadlinePolicy[];
  /** How often the escalation job runs; 0 turns it off (tests call runComplaintEscalation). Default: 10 minutes. */
  escalationIntervalMs?: number;
  /** Failed receipt look-ups allowed per caller in the window. Default: 10 per 15 minutes. */
  receiptLookups?: { maxFailures: number; windowMs: number };
}

/** The complaints subgraph: 信访举报 cases with their workflow, deadlines and escalation, the risk register, residents' requests. */
export async function createServer(options: ComplaintsServerOptions) {
  const now = options.now ?? options.clock ?? (() => new Date());
  const deps: ComplaintsDeps = {
    dataSource: options.dataSource,
    now,
    newId: options.newId ?? randomUUID,
    pii: options.pii ?? null,
    deadlinePolicies: options.deadlinePolicies ?? DEADLINE_POLICIES,
    receiptLookups: new AttemptLimiter(options.receiptLookups?.maxFailures ?? 10, options.receiptLookups?.windowMs ?? 15 * 60_000, now),
    onEventsRecorded: () => service.nudge(),
  };
  const service = await createSubgraphService<ComplaintsContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    publishes: PUBLISHED_TOPICS,
    subscriptions: [candidateNominatedConsumer({ dataSource: options.dataSource })],
    extendContext: (base) => ({
      ...base,
      deps,
      complaints: new ComplaintStore(options.dataSource.manager, base.auth.regionPath),
      loaders: createLoaders(options.dataSource.manager, base.auth.regionPath),
    }),
  });
  const interval = options.escalationIntervalMs ?? 10 * 60_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  return {
    ...service,
    async start(port: number, host?: string) {
      const server = await service.start(port, host);
      if (interval > 0) {
        timer = setInterval(() => {
          running = escalateOverdue({ dataSource: options.dataSource, logger: options.logger }, now()).catch((error: unknown) =>
            options.logger.error({ err: error }, 'the escalation job failed; it runs again on the next interval'),
          );
        }, interval);
        timer.unref();
      }
      return server;
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      await service.stop();
    },
  };
}
