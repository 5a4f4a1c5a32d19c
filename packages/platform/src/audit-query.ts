import type { DataSource } from 'typeorm';
import { requireInScope, requireRole, type AuthContext, type Role } from './auth';
import { badInput } from './errors';
import { isIsoDate } from './calendar';
import { readPage, toConnection, type PageArgs } from './pagination';
import { regionPathFromCode } from './region';
import { scopeCondition } from './region-scope';

/**
 * The audit query every subgraph serves for its own audit_log (README "Security"). Each subgraph
 * owns its records, so each serves one field named after it — personnelAuditLog, vettingAuditLog,
 * electionsAuditLog, complaintsAuditLog, trainingAuditLog — over the same shared value types
 * (AuditRecord, AuditRecordConnection, AuditLogInput), whose SDL (auditLogSdl) the service kit adds
 * to every subgraph and the gateway's compose adds to every subgraph's files. Read-only: there is no mutation of audit
 * records, and PostgreSQL refuses UPDATE/DELETE/TRUNCATE of audit_log (the migration's triggers).
 */
export const AUDIT_READER_ROLES: readonly Role[] = ['AUDITOR'];

/** The subgraph's audit query field: `personnelAuditLog` for 'personnel'. */
export const auditLogFieldOf = (service: string) => `${service}AuditLog`;

export interface AuditLogInput {
  regionCode: string;
  from: string;
  to: string;
  entityType?: string | null;
  action?: string | null;
  actor?: string | null;
}

export interface AuditRecordView {
  id: string;
  at: string;
  actor: string;
  actorRoles: string[];
  action: string;
  entityType: string;
  entityId: string;
  regionPath: string;
  requestId: string | null;
  before: string | null;
  after: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_FIELD = 200;

/**
 * A bound of the period: a date (yyyy-mm-dd) is a whole day in Asia/Shanghai — `from` its
 * start, `to` its end (inclusive) — and an ISO instant with a zone is taken as is (`to` exclusive).
 */
export function periodBound(value: string, side: 'from' | 'to'): Date {
  if (isIsoDate(value)) {
    const start = new Date(`${value}T00:00:00+08:00`);
    return side === 'from' ? start : new Date(start.getTime() + 86_400_000);
  }
  if (ISO_INSTANT.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw badInput(
    'AUDIT.PERIOD',
    `${side} must be a date (yyyy-mm-dd, Asia/Shanghai) or an ISO instant with a zone, got ${JSON.stringify(value.slice(0, 40))}`,
  );
}

/** Keys whose values must never leave the service, even if a writer put them in a record. */
const SECRET_KEY = /(_cipher|_index|Cipher|Index)$/;

function withoutSecrets(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k]) => !SECRET_KEY.test(k))
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  return JSON.stringify(strip(value));
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string;
  region_path: string;
  request_id: string | null;
  before: unknown;
  after: unknown;
}

/** Reads one page of the service's audit records for an AUDITOR: region subtree and period, oldest first. */
export async function queryAuditLog(dataSource: DataSource, auth: AuthContext, input: AuditLogInput, args: PageArgs) {
  requireRole(auth, AUDIT_READER_ROLES, 'reading the audit log');
  const regionPath = regionPathFromCode(input.regionCode);
  requireInScope(auth, regionPath, `region ${input.regionCode}`);
  const from = periodBound(input.from, 'from');
  const to = periodBound(input.to, 'to');
  if (to <= from) throw badInput('AUDIT.PERIOD', '`to` must come after `from`');
  for (const key of ['entityType', 'action', 'actor'] as const) {
    if ((input[key]?.length ?? 0) > MAX_FIELD) throw badInput('AUDIT.FILTER', `${key} is longer than ${MAX_FIELD} characters`);
  }
  const page = readPage(args);
  const params: unknown[] = [from, to];
  const where = [
    'at >= $1',
    'at < $2',
    // The caller's scope and the requested region, both in SQL.
    scopeCondition('region_path', auth.regionPath, params),
    scopeCondition('region_path', regionPath, params),
  ];
  if (input.entityType) where.push(`entity_type = $${params.push(input.entityType)}`);
  if (input.action) where.push(`action = $${params.push(input.action)}`);
  if (input.actor) where.push(`actor = $${params.push(input.actor)}`);
  if (page.after) {
    const m = /^(\d+)$/.exec(page.after);
    if (!m) throw badInput('PAGE.CURSOR', 'the `after` cursor is not one this service issued');
    // The cursor is the id; ids grow with time within a service, and (at, id) orders the page.
    params.push(m[1]);
    where.push(`(at, id) > (SELECT at, id FROM audit_log WHERE id = $${params.length}::bigint)`);
  }
  params.push(page.limit + 1);
  const rows = (await dataSource.query(
    `SELECT id::text AS id, at, actor, actor_roles, action, entity_type, entity_id, region_path, request_id, before, after
       FROM audit_log WHERE ${where.join(' AND ')}
      ORDER BY at, id LIMIT $${params.length}`,
    params,
  )) as AuditRow[];
  const views: AuditRecordView[] = rows.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    actorRoles: r.actor_roles,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    regionPath: r.region_path,
    requestId: r.request_id,
    before: withoutSecrets(r.before),
    after: withoutSecrets(r.after),
  }));
  return toConnection(views, page, (v) => v.id);
}

/** The resolver map of the audit query, merged into every subgraph's resolvers by the service kit. */
export function auditLogResolvers(service: string, dataSource: DataSource) {
  return {
    [auditLogFieldOf(service)]: (_: unknown, args: { input: AuditLogInput } & PageArgs, ctx: { auth: AuthContext }) =>
      queryAuditLog(dataSource, ctx.auth, args.input, { first: args.first, after: args.after }),
  };
}

/** The SDL of the audit query for one subgraph, appended to its own SDL by the service kit and by compose. */
export function auditLogSdl(service: string, options: { withPageInfo: boolean }): string {
  const pageInfo = options.withPageInfo
    ? `
"分页信息 — page information of a connection"
type PageInfo @shareable {
  "是否有下一页 — whether more items follow"
  hasNextPage: Boolean!
  "末项游标 — cursor of the last item, to pass as \`after\`"
  endCursor: String
}
`
    : '';
  return `# The audit query (generated text: auditLogSdl('${service}') in @huanjie/platform; a test keeps them equal).

"审计记录 — one audit record: who did what to which entity, when, with the state before and after (personal data masked)"
type AuditRecord @shareable {
  "记录号 — the record's number in its service"
  id: ID!
  "时间 — when the mutation committed its transaction, ISO 8601"
  at: String!
  "操作人 — the token's subject (a user id) or system:<event> for work done on an event"
  actor: String!
  "操作人角色 — the caller's roles at the time; empty for system work and for records from before roles were recorded"
  actorRoles: [String!]!
  "操作 — the mutation, e.g. registerPerson"
  action: String!
  "对象类型 — e.g. Person"
  entityType: String!
  "对象标识"
  entityId: String!
  "区域路径 — the region path of the entity"
  regionPath: String!
  "请求号 — the request id, to find the request in the logs"
  requestId: String
  "变更前 — the state before, as JSON text, personal data masked; null on creation"
  before: String
  "变更后 — the state after, as JSON text, personal data masked; null on deletion"
  after: String
}

"审计记录列表中的一项"
type AuditRecordEdge @shareable {
  cursor: String!
  node: AuditRecord!
}

"审计记录列表 — a page of audit records, oldest first"
type AuditRecordConnection @shareable {
  edges: [AuditRecordEdge!]!
  nodes: [AuditRecord!]!
  pageInfo: PageInfo!
}
${pageInfo}
"审计查询条件 — which audit records: a region (with everything under it) and a period"
input AuditLogInput {
  "行政区划代码 — the region; within the caller's scope"
  regionCode: String!
  "起 — a date (yyyy-mm-dd, from the start of that day in Asia/Shanghai) or an ISO instant with a zone"
  from: String!
  "止 — a date (yyyy-mm-dd, to the end of that day in Asia/Shanghai) or an ISO instant with a zone (exclusive)"
  to: String!
  "对象类型, e.g. Person"
  entityType: String
  "操作, e.g. registerPerson"
  action: String
  "操作人"
  actor: String
}

extend type Query {
  "审计日志 — ${service}'s audit records in a region and period, oldest first (AUDITOR only; at most 100 a page)"
  ${auditLogFieldOf(service)}(input: AuditLogInput!, first: Int = 20, after: String): AuditRecordConnection!
}
`;
}
