import { Writable } from 'node:stream';
import { GraphQLError, buildSchema, graphql } from 'graphql';
import { badInput, createErrorFormatter, createLogger, operationLabel, withoutVariableValue } from '../src';

describe('error formatter', () => {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'errors-test',
    destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
  });
  const format = createErrorFormatter(logger);

  it('keeps a domain error’s code, rule and message', () => {
    const original = badInput('PERSON.NAME', 'name must be 1–50 characters, got 0');
    const out = format({ message: original.message }, new GraphQLError(original.message, { originalError: original }));
    expect(out).toMatchObject({ message: 'name must be 1–50 characters, got 0', extensions: { code: 'BAD_USER_INPUT', rule: 'PERSON.NAME' } });
  });

  it('masks anything unexpected and logs it without personal data', () => {
    const boom = new Error('duplicate key value violates unique constraint');
    const out = format({ message: boom.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, new GraphQLError(boom.message, { originalError: boom }));
    expect(out).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.join('')).toContain('duplicate key value');
  });

  it('redacts ID numbers and phones in log lines', () => {
    logger.info({ input: { idNumber: '11010519491231002X', phone: '13800000000', name: 'ok' } }, 'input');
    const last = lines.at(-1)!;
    expect(last).not.toContain('11010519491231002X');
    expect(last).not.toContain('13800000000');
    expect(last).toContain('"name":"ok"');
  });
});

describe('variable coercion errors', () => {
  const schema = buildSchema(`
    input PersonInput { name: String!, idNumber: String!, phone: String }
    type Query { person(input: PersonInput!): String }
  `);
  const format = createErrorFormatter(createLogger({ name: 'errors-test', level: 'silent' }));
  /** What Apollo Server hands the formatter for a variable that does not coerce (a UserInputError). */
  async function formatted(variables: Record<string, unknown>) {
    const { errors } = await graphql({ schema, source: 'query($input: PersonInput!) { person(input: $input) }', variableValues: variables });
    const e = errors![0]!;
    const error = new GraphQLError(e.message, { nodes: e.nodes, originalError: e.originalError ?? e, extensions: { code: 'BAD_USER_INPUT' } });
    return { raw: e.message, out: format({ message: e.message, extensions: { code: 'BAD_USER_INPUT' } }, error) };
  }

  it('leaves out the value graphql-js quotes, keeping the path and the reason', async () => {
    const { raw, out } = await formatted({ input: { name: '赵秘密', idNumber: '11010519491231002X', isAdmin: true } });
    expect(raw).toContain('11010519491231002X'); // what graphql-js says
    expect(out).toEqual({ message: 'Variable "$input" got an invalid value; Field "isAdmin" is not defined by type "PersonInput".', extensions: { code: 'BAD_USER_INPUT' } });
    const leaf = await formatted({ input: { name: '赵秘密', idNumber: 'x', phone: 13912345678 } });
    expect(leaf.raw).toContain('13912345678');
    expect(leaf.out.message).toBe('Variable "$input" got an invalid value at "input.phone"; String cannot represent a non string value: [redacted]');
  });

  it('is not fooled by quotes and paths inside the value', () => {
    const message = 'Variable "$input" got invalid value { note: "x\\" at \\"input.a\\"; y" } at "input.note"; Expected a string.';
    expect(withoutVariableValue(message, 'Expected a string.')).toBe('Variable "$input" got an invalid value at "input.note"; Expected a string.');
    expect(withoutVariableValue('Variable "$input" got invalid value 1; whatever', undefined)).toBe('Variable "$input" got an invalid value.');
    expect(withoutVariableValue('Variable "$input" of required type "PersonInput!" was not provided.', undefined)).toBe('Variable "$input" of required type "PersonInput!" was not provided.');
  });
});

describe('operationLabel', () => {
  it('keeps metric labels to a bounded, plain form of client-chosen operation names', () => {
    expect(operationLabel('ReviewById')).toBe('ReviewById');
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('"; DROP')).toBe('DROP');
    expect(operationLabel('{}')).toBe('anonymous');
    expect(operationLabel('x'.repeat(100))).toHaveLength(48);
  });
});
