import { performance } from 'node:perf_hooks';
import type { DataSet, PeopleFactory, UnitSpec } from './dataset';
import type { GraphQLClient } from './http-client';
import { CREATE_ELECTION_CYCLE, CREATE_ORG_UNIT, RECEIVE_COMPLAINT, REGISTER_PERSON } from './operations';

/**
 * Runs fn over items with at most `limit` in flight; rejects with the first failure once the rest
 * settle, or when the deadline (performance.now() ms) passes.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  deadline = Infinity,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      if (performance.now() > deadline) {
        failure ??= new Error(`loading took longer than its time limit (${next} of ${items.length} items of this step done)`);
        return;
      }
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw failure;
}

/** A progress line on stderr: rewritten in place on a terminal, else printed at every 10 %. */
export class Progress {
  private done = 0;
  private lastStep = -1;
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  tick(n = 1): void {
    this.done += n;
    const pct = this.total ? (this.done / this.total) * 100 : 100;
    if (this.tty) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && this.done < this.total) return;
      this.lastDraw = now;
      process.stderr.write(`\r${this.label}: ${this.done}/${this.total} (${pct.toFixed(0)}%)   `);
      if (this.done >= this.total) process.stderr.write('\n');
    } else {
      const step = Math.floor(pct / 10);
      if (step > this.lastStep) {
        this.lastStep = step;
        process.stderr.write(`${this.label}: ${this.done}/${this.total} (${pct.toFixed(0)}%)\n`);
      }
    }
  }
}

export interface LoadedData {
  unitIds: Map<string, string>;
  people: { id: string; unitCode: string }[];
  requests: number;
  seconds: number;
}

/**
 * Loads the data set through the gateway as a client would: the org tree level by level (a unit's
 * parent must exist), then the 换届 cycles and complaints, then the people.
 */
export async function loadDataSet(
  client: GraphQLClient,
  data: DataSet,
  factory: PeopleFactory,
  peoplePerUnit: number,
  concurrency: number,
  timeLimitS: number,
): Promise<LoadedData> {
  const total = data.units.length + data.cycles.length + data.complaints.length + data.leaves.length * peoplePerUnit;
  const progress = new Progress('loading data through the gateway', total);
  const unitIds = new Map<string, string>();
  const t0 = performance.now();
  const deadline = t0 + timeLimitS * 1000;

  for (let level = 1; level <= 5; level++) {
    const units = data.units.filter((u) => u.level === level);
    await forEachLimit(
      units,
      concurrency,
      async (unit: UnitSpec) => {
        const res = await client.must<{ createOrgUnit: { id: string } }>(CREATE_ORG_UNIT, {
          input: { code: unit.code, name: unit.name, kind: unit.kind },
        });
        unitIds.set(unit.code, res.createOrgUnit.id);
        progress.tick();
      },
      deadline,
    );
  }
  await forEachLimit(
    data.cycles,
    concurrency,
    async (cycle) => {
      await client.must(CREATE_ELECTION_CYCLE, { input: cycle });
      progress.tick();
    },
    deadline,
  );
  await forEachLimit(
    data.complaints,
    concurrency,
    async (c) => {
      await client.must(RECEIVE_COMPLAINT, {
        input: { channel: c.channel, category: c.category, summary: c.summary, orgUnitId: unitIds.get(c.unitCode), regionCode: c.unitCode },
      });
      progress.tick();
    },
    deadline,
  );

  // Unit by unit, as a township office would enter them.
  const registrations = data.leaves.flatMap((unit) =>
    Array.from({ length: peoplePerUnit }, () => ({ unitCode: unit.code, input: factory.next(unit.code) })),
  );
  const people: { id: string; unitCode: string }[] = [];
  await forEachLimit(
    registrations,
    concurrency,
    async ({ unitCode, input }) => {
      const res = await client.must<{ registerPerson: { id: string } }>(REGISTER_PERSON, {
        input: { ...input, orgUnitId: unitIds.get(unitCode) },
      });
      people.push({ id: res.registerPerson.id, unitCode });
      progress.tick();
    },
    deadline,
  );
  return { unitIds, people, requests: total, seconds: (performance.now() - t0) / 1000 };
}
