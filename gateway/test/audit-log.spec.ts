import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { auditLogFieldOf } from '@huanjie/platform';
import { SUBGRAPHS } from '../src/subgraphs';

const root = join(__dirname, '..', '..');
const api = buildSchema(readFileSync(join(root, 'proto-docs', 'schema.graphql'), 'utf8'));

describe('the audit log in the composed graph', () => {
  it('has no mutation that could change or delete an audit record', () => {
    const fields = Object.values(api.getMutationType()!.getFields());
    expect(fields.length).toBeGreaterThan(50);
    // vetting's 离任审计 (the audit of a departing official's accounts, DepartureAudit and its
    // findings) is a domain object, not the audit log; every other name mentioning audit would be.
    const domain = /DepartureAudit|AuditFinding/;
    expect(fields.map((f) => f.name).filter((name) => /audit/i.test(name) && !domain.test(name))).toEqual([]);
    // Nor does any mutation take or return an audit record.
    for (const f of fields) {
      const types = [f.type.toString(), ...f.args.map((a) => a.type.toString())].join(' ');
      expect(types).not.toMatch(/AuditRecord|AuditLogInput/);
    }
  });

  it("serves each subgraph's own audit query", () => {
    const queries = api.getQueryType()!.getFields();
    for (const { name } of SUBGRAPHS) {
      const field = queries[auditLogFieldOf(name)];
      expect(field?.type.toString()).toBe('AuditRecordConnection!');
      expect(field!.args.map((a) => a.name)).toEqual(['input', 'first', 'after']);
    }
  });
});
