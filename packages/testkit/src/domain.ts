import { DomainError } from '@huanjie/platform';

/**
 * What a domain function says about its input, as `CODE:RULE` (e.g.
 * 'BAD_USER_INPUT:PERSON.ID_NUMBER_CHECKSUM'), or 'no error'. Anything that is not a DomainError
 * is a bug and is rethrown.
 */
export function ruleOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}:${error.rule}`;
    throw error;
  }
  return 'no error';
}
