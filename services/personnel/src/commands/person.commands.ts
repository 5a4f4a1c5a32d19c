import {
  conflict,
  isUniqueViolation,
  maskMobilePhone,
  maskNationalId,
  notFound,
  requireRole,
  shanghaiDate,
  writeAudit,
  type PiiCipher,
  type Role,
} from '@huanjie/platform';
import { PersonRegistered, PersonUpdated, recordEvent } from '@huanjie/events';
import type { EntityManager } from 'typeorm';
import { OrgUnitStore } from '../db/org-unit.store';
import { PersonStore } from '../db/person.store';
import type { OrgUnitRow, PersonRow, PersonSecrets } from '../db/rows';
import type { PersonnelContext } from '../deps';
import {
  applyUpdate,
  isCollegeOrAbove,
  planRegistration,
  type PersonFacts,
  type PersonUpdateInput,
  type RegistrationInput,
} from '../domain/person.rules';

const WRITERS: Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

export interface RegisterPersonInput extends RegistrationInput {
  orgUnitId: string;
}

export type UpdatePersonInput = PersonUpdateInput;

/** The record as audit may see it: masked ID number and phone, no cipher, no blind index. */
export function publicView(row: PersonRow) {
  const { id_number_masked, phone_masked, ...rest } = row;
  return { ...rest, idNumberMasked: id_number_masked, phoneMasked: phone_masked };
}

/** What PersonRegistered/PersonUpdated carry: never the ID number or the phone, not even masked. */
export function eventFacts(row: PersonRow, unit: Pick<OrgUnitRow, 'code'>) {
  return {
    personId: row.id,
    orgUnitId: row.org_unit_id,
    orgUnitCode: unit.code.trim(),
    regionPath: row.region_path,
    name: row.name,
    gender: row.gender,
    birthDate: row.birth_date,
    ethnicity: row.ethnicity,
    education: row.education,
    collegeOrAbove: isCollegeOrAbove(row.education),
    politicalStatus: row.political_status,
    partyJoinedOn: row.party_joined_on,
    professionalBackgrounds: row.professional_backgrounds,
    sourceTags: row.source_tags,
    reserve: row.reserve,
    reserveSince: row.reserve_since,
    reserveOrgUnitId: row.reserve_org_unit_id,
  };
}

/**
 * The row a registration stores, and its secrets: the ID number and phone encrypted, the ID
 * number's blind index, both masked for display. registerPerson and the CSV import both build
 * their rows here, so an imported person is stored exactly as a registered one.
 */
export function newPersonRecord(
  plan: ReturnType<typeof planRegistration>,
  unit: Pick<OrgUnitRow, 'id' | 'region_path'>,
  ids: { id: string; idNumberIndex: string },
  now: Date,
  pii: PiiCipher,
): { person: PersonRow; secrets: PersonSecrets } {
  const person: PersonRow = {
    id: ids.id,
    org_unit_id: unit.id,
    region_path: unit.region_path,
    name: plan.name,
    gender: plan.gender,
    birth_date: plan.birthDate,
    ethnicity: plan.ethnicity,
    education: plan.education,
    political_status: plan.politicalStatus,
    party_joined_on: plan.partyJoinedOn,
    professional_backgrounds: plan.professionalBackgrounds,
    source_tags: plan.sourceTags,
    reserve: plan.reserve,
    reserve_since: plan.reserveSince,
    reserve_org_unit_id: plan.reserveOrgUnitId,
    id_number_masked: maskNationalId(plan.idNumber),
    phone_masked: plan.phone === null ? null : maskMobilePhone(plan.phone),
    created_at: now,
    updated_at: now,
  };
  const secrets: PersonSecrets = {
    id_number_cipher: pii.encrypt(plan.idNumber),
    id_number_index: ids.idNumberIndex,
    phone_cipher: plan.phone === null ? null : pii.encrypt(plan.phone),
  };
  return { person, secrets };
}

/** The unit named as reserve pool, looked up within the caller's scope; NOT_FOUND outside it. */
async function reservePool(manager: EntityManager, ctx: PersonnelContext, id: string | null | undefined, known: OrgUnitRow[] = []) {
  if (id == null) return null;
  const unit = known.find((u) => u.id === id) ?? (await new OrgUnitStore(manager, ctx.auth.regionPath).byIds([id]))[0];
  if (!unit) throw notFound('PERSON.RESERVE_ORG_UNIT_EXISTS', `reserve pool unit ${id} does not exist or lies outside your scope`);
  return unit;
}

/** 人员登记: validate, store ID number and phone encrypted, audit, and publish PersonRegistered — one transaction. */
export async function registerPerson(ctx: PersonnelContext, input: RegisterPersonInput): Promise<PersonRow> {
  requireRole(ctx.auth, WRITERS, 'registerPerson');
  const { dataSource, pii, clock, newId, onEventsRecorded } = ctx.deps;
  const duplicate = () => conflict('PERSON.ID_NUMBER_UNIQUE', 'a person with this national ID number is already registered');
  const now = clock();
  try {
    const row = await dataSource.transaction(async (manager) => {
      // The person's unit and the reserve pool's, in one statement.
      const units = await new OrgUnitStore(manager, ctx.auth.regionPath).byIds([
        input.orgUnitId,
        ...(input.reserveOrgUnitId ? [input.reserveOrgUnitId] : []),
      ]);
      const unit = units.find((u) => u.id === input.orgUnitId);
      if (!unit) throw notFound('ORG_UNIT.EXISTS', `org unit ${input.orgUnitId} does not exist or lies outside your scope`);
      const pool = await reservePool(manager, ctx, input.reserveOrgUnitId, units);
      const plan = planRegistration(input, {
        orgUnitId: unit.id,
        orgUnitKind: unit.kind,
        reserveOrgUnitKind: pool?.kind ?? null,
        today: shanghaiDate(now),
      });
      const store = new PersonStore(manager, ctx.auth.regionPath);
      const index = pii.blindIndex(plan.idNumber);
      if (await store.existsByIdNumberIndex(index)) throw duplicate();
      const { person, secrets } = newPersonRecord(plan, unit, { id: newId(), idNumberIndex: index }, now, pii);
      await store.insert({ ...person, ...secrets });
      await writeAudit(manager, {
        actor: ctx.auth.userId,
        roles: ctx.auth.roles,
        action: 'registerPerson',
        entityType: 'Person',
        entityId: person.id,
        regionPath: person.region_path,
        requestId: ctx.requestId,
        before: null,
        after: publicView(person),
      });
      await recordEvent(manager, PersonRegistered, { subject: person.id, data: eventFacts(person, unit), time: now });
      return person;
    });
    onEventsRecorded();
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

/** 更新人员信息: applies the changes, audits before/after (masked), publishes PersonUpdated. */
export async function updatePerson(ctx: PersonnelContext, id: string, input: UpdatePersonInput): Promise<PersonRow> {
  requireRole(ctx.auth, WRITERS, 'updatePerson');
  const { dataSource, pii, clock, onEventsRecorded } = ctx.deps;
  const now = clock();
  const row = await dataSource.transaction(async (manager) => {
    const store = new PersonStore(manager, ctx.auth.regionPath);
    const current = await store.withSecrets(id, { forUpdate: true });
    if (!current) throw notFound('PERSON.EXISTS', `person ${id} does not exist or lies outside your scope`);
    const pool = await reservePool(manager, ctx, input.reserveOrgUnitId);
    const facts: PersonFacts = {
      name: current.name,
      gender: current.gender,
      birthDate: current.birth_date,
      ethnicity: current.ethnicity,
      education: current.education,
      politicalStatus: current.political_status,
      partyJoinedOn: current.party_joined_on,
      professionalBackgrounds: current.professional_backgrounds,
      sourceTags: current.source_tags,
      reserve: current.reserve,
      reserveSince: current.reserve_since,
      reserveOrgUnitId: current.reserve_org_unit_id,
      // Decrypted only when the update names a phone, to tell a real change from the same number.
      phone: input.phone !== undefined && current.phone_cipher !== null ? pii.decrypt(current.phone_cipher) : null,
    };
    const { next, changed } = applyUpdate(facts, input, {
      orgUnitId: current.org_unit_id,
      reserveOrgUnitKind: pool?.kind ?? null,
      today: shanghaiDate(now),
    });
    const phoneChanged = changed.includes('phone');
    const { id_number_cipher: _idCipher, phone_cipher: currentPhoneCipher, ...before } = current;
    const updated: PersonRow = {
      ...before,
      name: next.name,
      ethnicity: next.ethnicity,
      education: next.education,
      political_status: next.politicalStatus,
      party_joined_on: next.partyJoinedOn,
      professional_backgrounds: next.professionalBackgrounds,
      source_tags: next.sourceTags,
      reserve: next.reserve,
      reserve_since: next.reserveSince,
      reserve_org_unit_id: next.reserveOrgUnitId,
      phone_masked: phoneChanged ? (next.phone === null ? null : maskMobilePhone(next.phone)) : before.phone_masked,
      updated_at: now,
    };
    await store.update(id, {
      ...updated,
      phone_cipher: phoneChanged ? (next.phone === null ? null : pii.encrypt(next.phone)) : currentPhoneCipher,
    });
    const [unit] = await new OrgUnitStore(manager, '').byIds([current.org_unit_id]);
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action: 'updatePerson',
      entityType: 'Person',
      entityId: id,
      regionPath: current.region_path,
      requestId: ctx.requestId,
      before: publicView(before),
      after: publicView(updated),
    });
    await recordEvent(manager, PersonUpdated, { subject: id, data: { ...eventFacts(updated, unit!), changedFields: changed }, time: now });
    return updated;
  });
  onEventsRecorded();
  return row;
}
