import { graphqlPost, type ServiceUnderTest } from '@huanjie/testkit';

/** A slice of Chengdu's tree that personnel tests build on: province to villages and communities. */
export const CHENGDU_UNITS = [
  { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
  { code: '510100000000', name: '成都市', kind: 'CITY' },
  { code: '510107000000', name: '武侯区', kind: 'DISTRICT' },
  { code: '510107018000', name: '簇桥街道', kind: 'SUBDISTRICT' },
  { code: '510107018003', name: '七里社区', kind: 'COMMUNITY' },
  { code: '510107018005', name: '锦城社区', kind: 'COMMUNITY' },
  { code: '510108000000', name: '成华区', kind: 'DISTRICT' },
  { code: '510108004000', name: '府青路街道', kind: 'SUBDISTRICT' },
  { code: '510108004002', name: '二仙桥社区', kind: 'COMMUNITY' },
  { code: '510184000000', name: '崇州市', kind: 'COUNTY' },
  { code: '510184106000', name: '白头镇', kind: 'TOWN' },
  { code: '510184106201', name: '五星村', kind: 'VILLAGE' },
] as const;

/**
 * Creates the units (parents first, as listed) through the service's own mutation and returns
 * their ids by code. `include` picks a subset of CHENGDU_UNITS.
 */
export async function createOrgTree(
  sut: ServiceUnderTest,
  include: (unit: (typeof CHENGDU_UNITS)[number]) => boolean = () => true,
): Promise<Record<string, string>> {
  const token = await sut.token(['ORG_ADMIN']);
  const ids: Record<string, string> = {};
  for (const unit of CHENGDU_UNITS.filter(include)) {
    const res = await graphqlPost<{ createOrgUnit: { id: string } }>(sut.url, {
      query: `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`,
      variables: { input: unit },
      token,
    });
    if (!res.data?.createOrgUnit) throw new Error(`could not create ${unit.code}: ${JSON.stringify(res.errors)}`);
    ids[unit.code] = res.data.createOrgUnit.id;
  }
  return ids;
}
