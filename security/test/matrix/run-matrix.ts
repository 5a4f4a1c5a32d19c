import { ROLES, type Role } from '@huanjie/platform';
import { ACCESS, type Access, type ServiceName } from '../../src/access';
import { committedOperations, type Operation } from '../../src/access/operations';
import { ADMIN, auth, startGraph, tokenFor, type Graph } from '../world';
import { seedBaseWorld } from './base-world';
import { MatrixKit, SCOPES, callerFor, type BaseWorld, type Cell, type Ledger, type Probe, type Scope, type ServiceProbes } from './kit';

// Issue 9, part 1: every role scoped to three regions, and four kinds of bad token, against every
// query and mutation of one subgraph, through the gateway. Each cell is judged against the access
// table (security/src/access): allowed calls must reach the record, refused ones must say
// FORBIDDEN / UNAUTHENTICATED, and no answer may carry a record from outside the caller's region.

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const BAD_TOKENS: { kind: string; token: () => Promise<string | undefined> }[] = [
  { kind: 'no token', token: async () => undefined },
  // An epoch an hour ago: jose takes a number as the expiry itself.
  { kind: 'expired token', token: () => tokenFor(ADMIN, auth, (Math.floor(Date.now() / 1000) - 3600) as unknown as string) },
  { kind: 'token signed with another key', token: () => tokenFor(ADMIN, { ...auth, secret: 'another-key-altogether-0123456789abcdef' }) },
  { kind: 'token for another audience', token: () => tokenFor(ADMIN, { ...auth, audience: 'another-system' }) },
];

async function send(url: string, probe: Probe, token: string | undefined): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: probe.query, variables: probe.variables ?? {} }),
  });
  const text = await response.text();
  try {
    return { status: response.status, ...JSON.parse(text) };
  } catch {
    return { status: response.status, errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
}

const codes = (a: Answer) => (a.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
const brief = (a: Answer) => JSON.stringify({ status: a.status, data: a.data, errors: a.errors?.map((e) => `${e.extensions?.code}: ${e.message}`) }).slice(0, 400);

/** Ids of records outside the caller's scope found in an answer (sent ids excepted in errors). */
function leaks(ledger: Ledger, scope: Scope, access: Access, probe: Probe, answer: Answer): string[] {
  if (scope === 'parent' || access.region === 'open') return [];
  const foreign = scope === 'own' ? ledger.sibling : ledger.own;
  const data = JSON.stringify(answer.data ?? null);
  const sent = JSON.stringify([probe.query, probe.variables ?? {}]);
  const errors = JSON.stringify(answer.errors ?? []);
  return [...foreign].filter((id) => data.includes(id) || (errors.includes(id) && !sent.includes(id)));
}

/** What is wrong with one cell's answer, or [] when it is as the table says. */
export function judgeCell(op: Operation, access: Access, cell: Cell, probe: Probe, answer: Answer, ledger: Ledger): string[] {
  const where = `${cell.role}@${cell.scope}`;
  const problems = leaks(ledger, cell.scope, access, probe, answer).map((id) => `${where}: the answer carries ${id}, a record outside the caller's region`);
  const value = answer.data?.[op.name];
  if (answer.status >= 500) problems.push(`${where}: HTTP ${answer.status}`);
  if (!access.roles.includes(cell.role)) {
    if (!codes(answer).includes('FORBIDDEN') || (value !== null && value !== undefined)) problems.push(`${where}: expected FORBIDDEN (role not allowed), got ${brief(answer)}`);
    return problems;
  }
  if (cell.allowed) {
    if (answer.errors?.length || value === null || value === undefined) return [...problems, `${where}: expected to be allowed, got ${brief(answer)}`];
    const data = JSON.stringify(answer.data);
    for (const id of probe.expectIds ?? []) if (!data.includes(id)) problems.push(`${where}: allowed, but the answer lacks ${id}: ${brief(answer)}`);
    return problems;
  }
  // The role may call it, but the record lies in a sibling district.
  const refused = codes(answer).some((c) => c === 'FORBIDDEN' || c === 'NOT_FOUND');
  if (op.kind === 'mutation' || probe.outOfScope === 'refuse') {
    if (!refused || (value !== null && value !== undefined)) problems.push(`${where}: expected FORBIDDEN or NOT_FOUND outside the region, got ${brief(answer)}`);
  } else if (!refused && answer.errors?.length) {
    problems.push(`${where}: expected a refusal or an answer without the record, got ${brief(answer)}`);
  } else if (!refused) {
    const data = JSON.stringify(answer.data);
    for (const id of probe.expectIds ?? []) if (data.includes(id)) problems.push(`${where}: the answer carries ${id} from outside the caller's region`);
  }
  return problems;
}

/** Cells tried by every matrix file of this run, for the summary line. */
let tried = 0;

export function describeMatrix<F>(service: ServiceName, probes: ServiceProbes<F>): void {
  const operations = committedOperations().filter((o) => o.service === service);

  describe(`authorisation matrix: ${service}`, () => {
    let graph: Graph;
    let kit: MatrixKit;
    let world: BaseWorld;
    let fixtures: F;

    beforeAll(async () => {
      graph = await startGraph(`matrix_${service}`);
      await probes.started?.(graph);
      kit = new MatrixKit(graph.url);
      world = await seedBaseWorld(kit);
      fixtures = await probes.setup(kit, world);
    }, 300_000);

    afterAll(async () => {
      await graph?.stop();
      if (tried) console.log(`authorisation matrix (${service}): ${tried} cells tried`);
    });

    it('has a row in the access table and a probe for every operation, and nothing else', () => {
      const names = operations.map((o) => o.name).sort();
      expect(names.filter((n) => !ACCESS[n] || ACCESS[n]!.service !== service)).toEqual([]);
      expect(names.filter((n) => !probes.probes[n])).toEqual([]);
      expect(Object.keys(probes.probes).filter((n) => !names.includes(n))).toEqual([]);
    });

    for (const op of operations) {
      it(`${op.kind} ${op.name}`, async () => {
        const access = ACCESS[op.name];
        const build = probes.probes[op.name];
        if (!access || !build) throw new Error(`${op.name}: no access row or no probe`);
        const problems: string[] = [];
        for (const role of ROLES as readonly Role[]) {
          for (const scope of SCOPES) {
            const cell: Cell = { role, scope, caller: callerFor(role, scope), allowed: access.roles.includes(role) && (scope !== 'sibling' || access.region === 'open') };
            const probe = await build({ kit, world, fixtures, cell });
            const answer = await send(graph.url, probe, await tokenFor(cell.caller));
            problems.push(...judgeCell(op, access, cell, probe, answer, kit.ledger));
            tried += 1;
          }
        }
        const refusedCell: Cell = { role: 'ORG_ADMIN', scope: 'own', caller: callerFor('ORG_ADMIN', 'own'), allowed: false };
        for (const bad of BAD_TOKENS) {
          const probe = await build({ kit, world, fixtures, cell: refusedCell });
          const answer = await send(graph.url, probe, await bad.token());
          if (answer.status !== 401 || !codes(answer).includes('UNAUTHENTICATED') || answer.data) problems.push(`${bad.kind}: expected HTTP 401 UNAUTHENTICATED, got ${brief(answer)}`);
          tried += 1;
        }
        expect(problems).toEqual([]);
      });
    }
  });
}

export type { Scope };
