import { conflict, isUniqueViolation, maskNationalId, notFound, requireRole, writeAudit, type Role } from '@huanjie/platform';
import { PersonRegistered, PersonUpdated, recordEvent } from '@huanjie/events';
import { OrgUnitStore } from '../db/org-unit.store';
import { PersonStore } from '../db/person.store';
import type { OrgUnitRow, PersonRow } from '../db/rows';
import type { PersonnelContext } from '../deps';
import { applyUpdate, planRegistration, type Education, type PersonFacts, type PoliticalStatus } from '../domain/person.rules';

const WRITERS: Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

export interface RegisterPersonInput {
  orgUnitId: string;
  name: string;
  idNumber: string;
  education: Education;
  politicalStatus: PoliticalStatus;
  reserve?: boolean | null;
}

export interface UpdatePersonInput {
  name?: string | null;
  education?: Education | null;
  politicalStatus?: PoliticalStatus | null;
  reserve?: boolean | null;
}

/** The record as audit and events may see it: masked ID number, no cipher, no blind index. */
function publicView(row: PersonRow) {
  const { id_number_masked, ...rest } = row;
  return { ...rest, idNumberMasked: id_number_masked };
}

function eventFacts(row: PersonRow, unit: Pick<OrgUnitRow, 'code'>) {
  return {
    personId: row.id,
    orgUnitId: row.org_unit_id,
    orgUnitCode: unit.code.trim(),
    regionPath: row.region_path,
    name: row.name,
    gender: row.gender,
    birthDate: row.birth_date,
    education: row.education,
    politicalStatus: row.political_status,
    reserve: row.reserve,
  };
}

/** 人员登记: validate, store the ID number encrypted, audit, and publish PersonRegistered — one transaction. */
export async function registerPerson(ctx: PersonnelContext, input: RegisterPersonInput): Promise<PersonRow> {
  requireRole(ctx.auth, WRITERS, 'registerPerson');
  const { dataSource, pii, clock, newId, onEventsRecorded } = ctx.deps;
  const duplicate = () => conflict('PERSON.ID_NUMBER_UNIQUE', 'a person with this national ID number is already registered');
  try {
    const row = await dataSource.transaction(async (manager) => {
      const [unit] = await new OrgUnitStore(manager, ctx.auth.regionPath).byIds([input.orgUnitId]);
      if (!unit) throw notFound('ORG_UNIT.EXISTS', `org unit ${input.orgUnitId} does not exist or lies outside your scope`);
      const plan = planRegistration(input, unit.kind);
      const store = new PersonStore(manager, ctx.auth.regionPath);
      const index = pii.blindIndex(plan.idNumber);
      if (await store.existsByIdNumberIndex(index)) throw duplicate();
      const now = clock();
      const person: PersonRow = {
        id: newId(),
        org_unit_id: unit.id,
        region_path: unit.region_path,
        name: plan.name,
        gender: plan.gender,
        birth_date: plan.birthDate,
        education: plan.education,
        political_status: plan.politicalStatus,
        reserve: plan.reserve,
        id_number_masked: maskNationalId(plan.idNumber),
        created_at: now,
        updated_at: now,
      };
      await store.insert({ ...person, id_number_cipher: pii.encrypt(plan.idNumber), id_number_index: index });
      await writeAudit(manager, {
        actor: ctx.auth.userId,
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

/** 更新人员信息: applies the changes, audits before/after, publishes PersonUpdated. */
export async function updatePerson(ctx: PersonnelContext, id: string, input: UpdatePersonInput): Promise<PersonRow> {
  requireRole(ctx.auth, WRITERS, 'updatePerson');
  const { dataSource, clock, onEventsRecorded } = ctx.deps;
  const row = await dataSource.transaction(async (manager) => {
    const store = new PersonStore(manager, ctx.auth.regionPath);
    const [current] = await store.byIds([id], { forUpdate: true });
    if (!current) throw notFound('PERSON.EXISTS', `person ${id} does not exist or lies outside your scope`);
    const facts: PersonFacts = {
      name: current.name,
      gender: current.gender,
      birthDate: current.birth_date,
      education: current.education,
      politicalStatus: current.political_status,
      reserve: current.reserve,
    };
    const { next, changed } = applyUpdate(facts, input);
    const updated: PersonRow = {
      ...current,
      name: next.name,
      education: next.education,
      political_status: next.politicalStatus,
      reserve: next.reserve,
      updated_at: clock(),
    };
    await store.update(id, updated);
    const [unit] = await new OrgUnitStore(manager, '').byIds([current.org_unit_id]);
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      action: 'updatePerson',
      entityType: 'Person',
      entityId: id,
      regionPath: current.region_path,
      requestId: ctx.requestId,
      before: publicView(current),
      after: publicView(updated),
    });
    await recordEvent(manager, PersonUpdated, {
      subject: id,
      data: { ...eventFacts(updated, unit!), changedFields: changed },
      time: updated.updated_at,
    });
    return updated;
  });
  onEventsRecorded();
  return row;
}
