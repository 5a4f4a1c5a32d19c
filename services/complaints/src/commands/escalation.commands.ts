import type { DataSource } from 'typeorm';
import { writeAudits, type Logger } from '@huanjie/platform';
import { ComplaintStore, type EscalationRow } from '../db/complaint.store';

/**
 * 逐级督办: moves every overdue case one level up (town → district → city), once per missed
 * deadline, in one transaction with its history and audit records. Running it again at the same
 * moment, or later for the same missed deadline, changes nothing. The service runs it on an
 * interval over every case; `runComplaintEscalation` runs it on demand over the caller's region
 * (`scopePath`; '' for all).
 */
export async function escalateOverdue(deps: { dataSource: DataSource; logger?: Logger }, now: Date, actor = 'system:escalation', scopePath = ''): Promise<EscalationRow[]> {
  const escalated = await deps.dataSource.transaction(async (manager) => {
    const store = new ComplaintStore(manager, scopePath);
    const rows = await store.escalateOverdue(now);
    await store.markOverdue(now);
    await store.addHistory(
      rows.map((r) => ({
        complaint_id: r.complaint_id,
        at: now,
        actor,
        event: 'ESCALATE',
        from_status: r.status,
        to_status: r.status,
        reason: null,
        detail: { deadline: r.deadline, due: r.due, fromLevel: r.from_level, toLevel: r.to_level },
      })),
    );
    await writeAudits(
      manager,
      rows.map((r) => ({
        actor,
        action: 'escalateComplaint',
        entityType: 'Complaint',
        entityId: r.complaint_id,
        regionPath: r.region_path,
        requestId: null,
        before: { level: r.from_level },
        after: { level: r.to_level, deadline: r.deadline, due: r.due },
      })),
    );
    return rows;
  });
  if (escalated.length > 0) deps.logger?.info({ escalated: escalated.length }, 'overdue complaints escalated');
  return escalated;
}
