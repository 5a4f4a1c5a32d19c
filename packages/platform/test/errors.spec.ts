import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { badInput, createErrorFormatter, createLogger, operationLabel } from '../src';

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

describe('operationLabel', () => {
  it('keeps metric labels to a bounded, plain form of client-chosen operation names', () => {
    expect(operationLabel('ReviewById')).toBe('ReviewById');
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('"; DROP')).toBe('DROP');
    expect(operationLabel('{}')).toBe('anonymous');
    expect(operationLabel('x'.repeat(100))).toHaveLength(48);
  });
});
