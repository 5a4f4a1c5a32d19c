import { DEMO_CYCLES, DEMO_PEOPLE, DEMO_TERMS, DEMO_UNITS, demoIdNumber } from './demo-data';

type Post = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Sends a GraphQL request and returns `data`, throwing with the errors' messages and codes. */
export function graphqlClient(url: string, token: string): Post {
  return async (query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) {
      throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
    }
    return body.data ?? {};
  };
}

/**
 * Loads the demo org tree and people through the gateway, like any client would, so the events
 * they publish flow to the other services. Skips everything when the data is already there.
 */
export async function seedDemoData(post: Post, onProgress: (done: number, total: number) => void = () => {}): Promise<'seeded' | 'present'> {
  const existing = await post(`query($code: String!) { orgUnitByCode(code: $code) { id } }`, { code: DEMO_UNITS[0]!.code });
  if (existing.orgUnitByCode) return 'present';
  const total = DEMO_UNITS.length + DEMO_PEOPLE.length + DEMO_CYCLES.length + DEMO_TERMS.length;
  let done = 0;
  const ids = new Map<string, string>();
  for (const unit of DEMO_UNITS) {
    const data = await post(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, { input: unit });
    ids.set(unit.code, (data.createOrgUnit as { id: string }).id);
    onProgress(++done, total);
  }
  const people = new Map<string, string>();
  for (const [index, person] of DEMO_PEOPLE.entries()) {
    const data = await post(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
      input: {
        orgUnitId: ids.get(person.unitCode),
        name: person.name,
        idNumber: demoIdNumber(person, index),
        ethnicity: person.ethnicity,
        education: person.education,
        politicalStatus: person.politicalStatus,
        partyJoinedOn: person.partyJoinedOn,
        professionalBackgrounds: person.professionalBackgrounds,
        sourceTags: person.sourceTags,
        reserve: person.reserve,
        reserveSince: person.reserveSince,
        phone: person.phone,
      },
    });
    people.set(person.name, (data.registerPerson as { id: string }).id);
    onProgress(++done, total);
  }
  for (const cycle of DEMO_CYCLES) {
    await post(`mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`, { input: cycle });
    onProgress(++done, total);
  }
  for (const term of DEMO_TERMS) {
    const { unitCode, positions, ...rest } = term;
    await post(`mutation($input: StartTermInput!) { startTerm(input: $input) { id } }`, {
      input: { ...rest, orgUnitId: ids.get(unitCode), positions: positions.map((p) => ({ personId: people.get(p.name), role: p.role })) },
    });
    onProgress(++done, total);
  }
  return 'seeded';
}
