import { badInput } from './errors';

/**
 * Mainland mobile numbers: 11 digits, "1" then 3–9 (the 13x–19x blocks of the MIIT numbering plan,
 * 电信网编号计划). Spaces, hyphens and a +86 country prefix are accepted and dropped, since people
 * copy numbers from phones and business cards in those shapes.
 */
const MOBILE = /^1[3-9]\d{9}$/;

/** The stored form of a mobile number: the bare 11 digits. Throws BAD_USER_INPUT otherwise. */
export function normaliseMobilePhone(raw: string): string {
  const phone = raw.replace(/[\s-]/g, '').replace(/^\+86/, '');
  if (!MOBILE.test(phone)) {
    // The value is not echoed: it is personal data even when malformed.
    throw badInput('PERSON.PHONE_FORMAT', '手机号 must be a mainland mobile number: 11 digits starting with 13–19');
  }
  return phone;
}

/** The masked form shown to clients: the first three and the last four, e.g. 138****1234. */
export function maskMobilePhone(phone: string): string {
  return `${phone.slice(0, 3)}${'*'.repeat(Math.max(0, phone.length - 7))}${phone.slice(-4)}`;
}
