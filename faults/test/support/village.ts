import { graphqlPost } from '@huanjie/testkit';

/** 四川省 → 成都市 → 武侯区 → 簇桥街道 → 七里社区: the chain every fault test registers people under. */
const CHAIN = [
  ['510000000000', 'PROVINCE', '四川省'],
  ['510100000000', 'CITY', '成都市'],
  ['510107000000', 'DISTRICT', '武侯区'],
  ['510107018000', 'SUBDISTRICT', '簇桥街道'],
  ['510107018003', 'VILLAGE', '七里社区'],
] as const;

/** Creates the chain through `url` (personnel or a gateway) as `token`; returns the village's id. Throws on any error. */
export async function createVillageChain(url: string, token: string): Promise<string> {
  let id = '';
  for (const [code, kind, name] of CHAIN) {
    const res = await graphqlPost<{ createOrgUnit: { id: string } }>(url, {
      query: `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`,
      variables: { input: { code, kind, name } },
      token,
    });
    if (res.errors?.length || !res.data) throw new Error(`createOrgUnit ${code}: ${JSON.stringify(res.errors ?? res.status)}`);
    id = res.data.createOrgUnit.id;
  }
  return id;
}
