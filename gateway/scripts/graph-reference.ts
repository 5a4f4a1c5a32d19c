// The graph's public contract, generated from the committed supergraph: proto-docs/schema.graphql
// (the API schema clients see: no join__/link__ machinery) and proto-docs/GRAPH.md (a reference of
// its operations and types). `npm run compose` writes both; gateway/test/graph-reference.spec.ts
// fails when they are stale. graphChanges() is the supergraph's breaking-change check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  printSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** The API schema of a supergraph, as SDL (what clients of the gateway can query). */
export function apiSchemaSdl(supergraphSdl: string): string {
  return `${printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema()).trimEnd()}\n`;
}

const cell = (text: string | null | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const anchor = (name: string) => name.toLowerCase();
const link = (type: { toString(): string }) => {
  const text = type.toString();
  const named = text.replace(/[[\]!]/g, '');
  return /^(String|Int|Float|Boolean|ID)$/.test(named) ? `\`${text}\`` : `[\`${text}\`](#${anchor(named)})`;
};

function argumentsOf(args: readonly (GraphQLArgument | GraphQLInputField)[]): string {
  return args
    .map((a) => `\`${a.name}: ${a.type.toString()}${a.defaultValue !== undefined ? ` = ${JSON.stringify(a.defaultValue)}` : ''}\``)
    .join(', ');
}

function operations(title: string, fields: Record<string, GraphQLField<unknown, unknown>> | undefined): string[] {
  if (!fields) return [];
  const lines = [`## ${title}`, ''];
  for (const field of Object.values(fields)) {
    lines.push(`### ${title === 'Queries' ? 'query' : 'mutation'} \`${field.name}\``, '', field.description ?? '', '');
    lines.push(`Returns ${link(field.type)}.${field.deprecationReason ? ` **Deprecated:** ${field.deprecationReason}` : ''}`, '');
    if (field.args.length) {
      lines.push('| argument | type | default | meaning |', '|---|---|---|---|');
      for (const a of field.args) {
        lines.push(`| \`${a.name}\` | ${link(a.type)} | ${a.defaultValue !== undefined ? `\`${JSON.stringify(a.defaultValue)}\`` : ''} | ${cell(a.description)} |`);
      }
      lines.push('');
    }
  }
  return lines;
}

function typeSection(type: GraphQLNamedType): string[] {
  const kind = isObjectType(type)
    ? 'type'
    : isInterfaceType(type)
      ? 'interface'
      : isUnionType(type)
        ? 'union'
        : isEnumType(type)
          ? 'enum'
          : isInputObjectType(type)
            ? 'input'
            : 'scalar';
  const lines = [`### ${type.name}`, '', `\`${kind}\`${type.description ? ` — ${cell(type.description)}` : ''}`, ''];
  if (isObjectType(type) || isInterfaceType(type)) {
    const interfaces = type.getInterfaces();
    if (interfaces.length) lines.push(`Implements ${interfaces.map((i) => link(i)).join(', ')}.`, '');
    lines.push('| field | type | meaning |', '|---|---|---|');
    for (const f of Object.values(type.getFields())) {
      const args = f.args.length ? ` (${argumentsOf(f.args)})` : '';
      lines.push(`| \`${f.name}\`${cell(args)} | ${link(f.type)} | ${cell(f.description)}${f.deprecationReason ? ` **Deprecated:** ${cell(f.deprecationReason)}` : ''} |`);
    }
  } else if (isInputObjectType(type)) {
    lines.push('| field | type | meaning |', '|---|---|---|');
    for (const f of Object.values(type.getFields())) {
      lines.push(`| \`${f.name}\` | ${link(f.type)} | ${cell(f.description)}${f.defaultValue !== undefined ? ` (default \`${JSON.stringify(f.defaultValue)}\`)` : ''} |`);
    }
  } else if (isEnumType(type)) {
    lines.push('| value | meaning |', '|---|---|');
    for (const v of type.getValues()) lines.push(`| \`${v.name}\` | ${cell(v.description)}${v.deprecationReason ? ` **Deprecated:** ${cell(v.deprecationReason)}` : ''} |`);
  } else if (isUnionType(type)) {
    lines.push(`One of ${type.getTypes().map((t) => link(t)).join(', ')}.`);
  }
  lines.push('');
  return lines;
}

/** proto-docs/GRAPH.md: the graph's operations (with arguments) and every type (with field descriptions). */
export function graphReference(schema: GraphQLSchema): string {
  const named = Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && !(isScalarType(t) && isSpecifiedScalarType(t)))
    .filter((t) => t !== schema.getQueryType() && t !== schema.getMutationType() && t !== schema.getSubscriptionType())
    .sort((a, b) => a.name.localeCompare(b.name));
  const groups: [string, (t: GraphQLNamedType) => boolean][] = [
    ['Object types', isObjectType],
    ['Interfaces', isInterfaceType],
    ['Unions', isUnionType],
    ['Enums', isEnumType],
    ['Input types', isInputObjectType],
    ['Scalars', isScalarType],
  ];
  const queries = schema.getQueryType()?.getFields();
  const mutations = schema.getMutationType()?.getFields();
  const lines = [
    '# Graph reference',
    '',
    '<!-- Generated by `npm run compose` from gateway/supergraph.graphql; do not edit (a test fails when stale). -->',
    '',
    'The federated graph as clients of the gateway see it (`POST /graphql`, a Bearer token; see README.md).',
    `The SDL is [\`schema.graphql\`](schema.graphql); ${Object.keys(queries ?? {}).length} queries, ${Object.keys(mutations ?? {}).length} mutations, ${named.length} types.`,
    'Breaking changes (a removed type, field, enum value or argument, a changed type, a new required argument) fail CI',
    'unless announced in [`ANNOUNCED-BREAKS.json`](ANNOUNCED-BREAKS.json); see README.md, "Contracts".',
    '',
    ...operations('Queries', queries),
    ...operations('Mutations', mutations),
  ];
  for (const [title, test] of groups) {
    const members = named.filter(test);
    if (members.length) lines.push(`## ${title}`, '', ...members.flatMap(typeSection));
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The generated graph files under proto-docs/, path → content, from the committed supergraph. */
export function graphDocs(root: string): Map<string, string> {
  const sdl = apiSchemaSdl(readFileSync(join(root, 'gateway', 'supergraph.graphql'), 'utf8'));
  return new Map([
    ['schema.graphql', sdl],
    ['GRAPH.md', graphReference(buildSchema(sdl))],
  ]);
}

export interface GraphBreak {
  /** Stable id, quoted in ANNOUNCED-BREAKS.json to announce it: `graph <CHANGE_TYPE> <path>`. */
  id: string;
  message: string;
}

/** Breaking (and other) changes from one API schema SDL to another (graphql-inspector's rules). */
export async function graphChanges(beforeSdl: string, afterSdl: string): Promise<{ breaks: GraphBreak[]; notes: string[] }> {
  const changes = await diff(buildSchema(beforeSdl), buildSchema(afterSdl));
  const breaks: GraphBreak[] = [];
  const notes: string[] = [];
  for (const c of changes) {
    if (c.criticality.level === CriticalityLevel.Breaking) breaks.push({ id: `graph ${c.type} ${c.path ?? ''}`.trim(), message: c.message });
    else notes.push(`${c.criticality.level}: ${c.message}`);
  }
  return { breaks, notes };
}
