import type { LoadContext } from './context';
import { forEachLimit } from './progress';

/**
 * The ids personnel gave the imported units and people, read back through the graph one township
 * at a time (its villages and communities with their registers: one request, batched inside). A
 * person is recognised by unit, name, birth date and the last four characters of the masked ID
 * number — unique within a unit in the generated data.
 */
export interface IdMap {
  unit(code: string): string;
  person(key: string): string;
}

const TOWN_REGISTER = `query SeedTownRegister($code: String!) {
  orgUnitByCode(code: $code) {
    id
    children(first: 100) {
      pageInfo { hasNextPage }
      nodes { id code people(first: 200) { nodes { id name birthDate idNumberMasked } } }
    }
  }
}`;

interface TownRegister {
  orgUnitByCode: {
    id: string;
    children: {
      pageInfo: { hasNextPage: boolean };
      nodes: { id: string; code: string; people: { nodes: { id: string; name: string; birthDate: string; idNumberMasked: string }[] } }[];
    };
  } | null;
}

const personMatch = (unitCode: string, name: string, birthDate: string, idTail: string) => `${unitCode}|${name}|${birthDate}|${idTail}`;

export async function readIds({ graph, data, concurrency, progress }: LoadContext): Promise<IdMap> {
  const units = new Map<string, string>();
  const found = new Map<string, string>();
  const towns = data.units.filter((u) => u.level === 4);
  await forEachLimit(
    towns,
    concurrency,
    async (town) => {
      const { orgUnitByCode } = await graph.send<TownRegister>('ORG_ADMIN', TOWN_REGISTER, { code: town.code });
      if (!orgUnitByCode) throw new Error(`township ${town.code} is not in the graph after the import`);
      if (orgUnitByCode.children.pageInfo.hasNextPage)
        throw new Error(`township ${town.code} has more than 100 units; the id lookup reads one page`);
      units.set(town.code, orgUnitByCode.id);
      for (const unit of orgUnitByCode.children.nodes) {
        units.set(unit.code, unit.id);
        for (const p of unit.people.nodes) found.set(personMatch(unit.code, p.name, p.birthDate, p.idNumberMasked.slice(-4)), p.id);
      }
    },
    progress('ids (personnel, by township)', towns.length),
  );
  const people = new Map<string, string>();
  for (const p of data.people) {
    const id = found.get(personMatch(p.unitCode, p.name, p.birthDate, p.idNumber.slice(-4)));
    if (!id) throw new Error(`person ${p.key} (${p.unitCode}) was not found in the graph after the import`);
    people.set(p.key, id);
  }
  return {
    unit: (code) => units.get(code) ?? fail(`no id for unit ${code}`),
    person: (key) => people.get(key) ?? fail(`no id for person ${key}`),
  };
}

function fail(message: string): never {
  throw new Error(message);
}
