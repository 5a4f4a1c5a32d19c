import { randomUUID } from 'node:crypto';
import { issueToken, type Role } from '@huanjie/platform';
import { envelopeOf, PersonRegistered, PersonUpdated, PositionAssigned, PositionEnded, TermStarted, type EventEnvelope } from '@huanjie/events';
import { graphqlPost, type ServiceUnderTest } from '@huanjie/testkit';

/** Region path of a 12-digit village code. */
export const pathOf = (code: string) => `51.5101.${code.slice(0, 6)}.${code.slice(0, 9)}.${code}`;

export interface Caller {
  roles: Role[];
  region?: string;
}

export function graphql(sut: () => ServiceUnderTest) {
  const gql = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, who: Caller = { roles: ['ORG_ADMIN'] }) => {
    const region = who.region ?? '000000000000';
    const token = await issueToken({ userId: `${who.roles[0]}@${region}`, roles: who.roles, regionCode: region }, sut().auth);
    return graphqlPost<T>(sut().url, { query, variables, token });
  };
  const ok = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, who?: Caller): Promise<T> => {
    const res = await gql<T>(query, variables, who);
    if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
    return res.data!;
  };
  return { gql, ok };
}

export const ruleOfResponse = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  res.errors?.[0] ? `${String(res.errors[0].extensions?.code)}:${String(res.errors[0].extensions?.rule)}` : 'no error';

/** A committee of a village as personnel's events describe it. */
export interface CommitteeFixture {
  committeeId: string;
  committeeKind: 'PARTY' | 'VILLAGERS' | 'RESIDENTS';
  orgUnitId: string;
  regionPath: string;
}

export const committee = (orgUnitId: string, villageCode: string, kind: CommitteeFixture['committeeKind'] = 'PARTY'): CommitteeFixture => ({
  committeeId: randomUUID(),
  committeeKind: kind,
  orgUnitId,
  regionPath: pathOf(villageCode),
});

export function termStarted(c: CommitteeFixture, termId: string, startsOn: string, memberCount: number, id = randomUUID()): EventEnvelope {
  return envelopeOf(TermStarted, {
    id,
    subject: c.committeeId,
    data: {
      termId,
      ...c,
      partyOrgForm: c.committeeKind === 'PARTY' ? 'BRANCH' : null,
      startsOn,
      endsOn: `${Number(startsOn.slice(0, 4)) + 5}${startsOn.slice(4)}`,
      previousTermId: null,
      memberCount,
      electionId: null,
    },
  });
}

export type Role7 = 'SECRETARY' | 'DEPUTY_SECRETARY' | 'PARTY_MEMBER_SEAT' | 'DIRECTOR' | 'DEPUTY_DIRECTOR' | 'MEMBER' | 'WOMEN_MEMBER';

export function positionAssigned(c: CommitteeFixture, termId: string, personId: string, role: Role7, startsOn: string, positionId = randomUUID(), id = randomUUID()): EventEnvelope {
  return envelopeOf(PositionAssigned, { id, subject: c.committeeId, data: { positionId, termId, ...c, personId, role, startsOn, electionId: null } });
}

export function positionEnded(c: CommitteeFixture, termId: string, personId: string, role: Role7, startsOn: string, endsOn: string, positionId: string): EventEnvelope {
  return envelopeOf(PositionEnded, {
    subject: c.committeeId,
    data: { positionId, termId, ...c, personId, role, startsOn, electionId: null, endsOn, endReason: 'TERM_ENDED' },
  });
}

export function personEvent(personId: string, orgUnitId: string, villageCode: string, reserve: boolean, updated = false, time?: Date): EventEnvelope {
  const facts = {
    personId,
    orgUnitId,
    orgUnitCode: villageCode,
    regionPath: pathOf(villageCode),
    name: '测试人员',
    gender: 'FEMALE' as const,
    birthDate: '1988-05-01',
    ethnicity: '汉族',
    education: 'COLLEGE',
    collegeOrAbove: true,
    politicalStatus: 'PARTY_MEMBER',
    partyJoinedOn: '2010-07-01',
    professionalBackgrounds: [],
    sourceTags: [],
    reserve,
    reserveSince: reserve ? '2025-06-01' : null,
    reserveOrgUnitId: reserve ? orgUnitId : null,
  };
  return updated
    ? envelopeOf(PersonUpdated, { subject: personId, time, data: { ...facts, changedFields: ['reserve'] } })
    : envelopeOf(PersonRegistered, { subject: personId, time, data: facts });
}
