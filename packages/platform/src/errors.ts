import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { captureRecord } from './capture';
import type { Logger } from './logger';

/** The error codes a client may see, as GraphQL `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR';

/**
 * An error the domain expects and the client can act on. `rule` is a stable identifier of the
 * rule that was applied (e.g. 'PERSON.ID_NUMBER_CHECKSUM'), so clients can branch on it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>,
    readonly rule: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (rule: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('BAD_USER_INPUT', rule, message, details);
export const notFound = (rule: string, message: string) => new DomainError('NOT_FOUND', rule, message);
export const forbidden = (rule: string, message: string) => new DomainError('FORBIDDEN', rule, message);
export const conflict = (rule: string, message: string) => new DomainError('CONFLICT', rule, message);
export const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', 'AUTH.TOKEN', message);

const CLIENT_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  // The gateway: a subgraph that did not answer (gateway/src/data-source.ts); its fields are null.
  'SUBGRAPH_UNAVAILABLE',
]);

/** Converts a DomainError into the GraphQLError the client sees. */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, rule: error.rule, ...(error.details ? { details: error.details } : {}) },
  });
}

/**
 * Apollo `formatError`: domain errors keep their code, rule and message; anything unexpected is
 * logged with the request's logger and masked, so no stack trace or SQL reaches a client.
 */
export function createErrorFormatter(logger: Logger) {
  const service = String((typeof logger.bindings === 'function' ? logger.bindings().service : undefined) ?? '');
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const answer = formatForClient(logger, formatted, error);
    // Test runs: every error a client is sent, for the leak scan (a no-op otherwise; capture.ts).
    captureRecord('errors', { via: 'graphql', service, message: answer.message, extensions: answer.extensions });
    return answer;
  };
}

/** What the client is sent for one error (see createErrorFormatter). */
function formatForClient(logger: Logger, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError ?? error : error;
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, rule: original.rule, ...(original.details ? { details: original.details } : {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    const inner = original instanceof Error && original !== error ? original.message : undefined;
    return { ...formatted, message: withoutVariableValue(formatted.message, inner), extensions };
  }
  logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving a request');
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** A national ID number (15 or 18 characters) or a mainland mobile number, as people write them. */
const PERSONAL_NUMBER = /(?<![\dXx])(?:\d{6}(?:\d{9}|\d{11}[\dXx])|(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8})(?![\dXx])/g;

/**
 * graphql-js quotes the variable's whole value in a coercion error — `Variable "$input" got
 * invalid value { name: "…", idNumber: "…", isAdmin: true }; Field "isAdmin" is not defined by
 * type "RegisterPersonInput".` — so a client's one wrong field would send its ID number, phone or
 * complainant back, into every log and error tracker on the way. The value is left out; the path
 * and the reason stay, with any ID or phone number the reason quotes (a wrong leaf value) redacted.
 * Found by the test run's leak scan (README "Security").
 */
export function withoutVariableValue(message: string, reason: string | undefined): string {
  const head = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" (?:got|has) invalid value /.exec(message);
  if (!head) return message;
  const name = head[1]!;
  const known = reason !== undefined && message.endsWith(`; ${reason}`);
  const prefix = known ? message.slice(0, message.length - reason.length - 2) : message;
  // The path graphql-js appends (` at "input.person[0].phone"`): names and indexes only, never quoted text.
  const at = new RegExp(` at "(${name}(?:\\.[_A-Za-z][_0-9A-Za-z]*|\\[\\d+\\])*)"$`).exec(prefix);
  const where = at ? ` at "${at[1]}"` : '';
  return `Variable "$${name}" got an invalid value${where}${known ? `; ${reason.replace(PERSONAL_NUMBER, '[redacted]')}` : '.'}`;
}

/** True for a PostgreSQL unique-constraint violation (SQLSTATE 23505), e.g. a race on a unique key. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}
