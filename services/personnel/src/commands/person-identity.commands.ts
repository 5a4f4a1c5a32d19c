import { requireRole, writeAudit } from '@huanjie/platform';
import { PersonStore } from '../db/person.store';
import type { PersonRow } from '../db/rows';
import type { PersonnelContext } from '../deps';

export interface PersonIdentity {
  person: PersonRow;
  idNumber: string;
  phone: string | null;
}

/**
 * The unmasked ID number and phone, for the organisation department only (DESIGN: Security —
 * personal data is shown masked; the issue: "unmasked reading is a separate, audited query").
 * The audit record and the read share a transaction, so nothing is disclosed unless the record of
 * it is committed; the record names what was disclosed, never the values.
 */
export async function readPersonIdentity(ctx: PersonnelContext, id: string): Promise<PersonIdentity | null> {
  // Role before lookup: other roles learn nothing, not even whether the id exists.
  requireRole(ctx.auth, ['ORG_ADMIN'], 'personIdentity');
  const { dataSource, pii } = ctx.deps;
  return dataSource.transaction(async (manager) => {
    const row = await new PersonStore(manager, ctx.auth.regionPath).withSecrets(id);
    if (!row) return null; // absent or outside the scope, as for `person`
    const { id_number_cipher, phone_cipher, ...person } = row;
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action: 'readPersonIdentity',
      entityType: 'Person',
      entityId: row.id,
      regionPath: row.region_path,
      requestId: ctx.requestId,
      before: null,
      after: { disclosed: phone_cipher === null ? ['idNumber'] : ['idNumber', 'phone'] },
    });
    return { person, idNumber: pii.decrypt(id_number_cipher), phone: phone_cipher === null ? null : pii.decrypt(phone_cipher) };
  });
}
