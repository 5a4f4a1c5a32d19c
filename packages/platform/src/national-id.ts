import { badInput } from './errors';

/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
 * (odd = male), and a check character computed by ISO 7064 MOD 11-2.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export interface NationalIdFacts {
  birthDate: string; // ISO yyyy-mm-dd
  gender: 'MALE' | 'FEMALE';
  addressCode: string;
}

export function normaliseNationalId(raw: string): string {
  return raw.trim().toUpperCase();
}

export function nationalIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Validates format, birth date and checksum; returns what the number itself says. */
export function parseNationalId(raw: string): NationalIdFacts {
  const id = normaliseNationalId(raw);
  if (!/^\d{17}[\dX]$/.test(id)) {
    throw badInput('PERSON.ID_NUMBER_FORMAT', '身份证号 must be 17 digits followed by a digit or X (GB 11643)');
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw badInput('PERSON.ID_NUMBER_BIRTH_DATE', '身份证号 holds an impossible birth date (digits 7–14)');
  }
  if (nationalIdCheckChar(id) !== id[17]) {
    throw badInput('PERSON.ID_NUMBER_CHECKSUM', '身份证号 fails the GB 11643 check character');
  }
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
    addressCode: id.slice(0, 6),
  };
}

/**
 * The masked form shown to clients: the first four (province and prefecture) and the last four,
 * e.g. 5101**********123X. The county digits are hidden too: within a district's register they
 * would narrow a person down without telling an officer anything they need.
 */
export function maskNationalId(raw: string): string {
  const id = normaliseNationalId(raw);
  return `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}`;
}
