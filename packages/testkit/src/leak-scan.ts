import { nationalIdCheckChar } from '@huanjie/platform/src/national-id';

/**
 * The leak scan's pure logic (README "Security"): finds national ID numbers, mobile phone numbers
 * and the personal values the tests sent (complainants' names and contacts, ID numbers and phones
 * in any shape) in text — a log line, an error answered to a client, a Kafka key, value or header.
 * No I/O here: global-teardown.ts feeds it what the run captured.
 */

/** A value a test sent that must never come back in a log line, an error or an event. */
export type SensitiveKind = 'name' | 'contact' | 'id-number' | 'phone';
export interface SensitiveValue {
  kind: SensitiveKind;
  value: string;
}

export type LeakSource = 'log' | 'error' | 'kafka';
export type LeakKind = 'national-id' | 'mobile-phone' | SensitiveKind;

export interface Leak {
  source: LeakSource;
  /** Where: `<file>:<line>` or `<topic>/<partition>@<offset> <key|value|header name>`. */
  where: string;
  kind: LeakKind;
  /** The value found, masked (the report must not leak it again). */
  value: string;
  /** Some text around it, the value masked. */
  excerpt: string;
}

// ——— patterns ———

/** GB/T 2260 province-level codes (the first two digits), plus 83 (Taiwan residents' permits) and 91 (permanent residents). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83', '91',
]);

/**
 * An 18-character string that is a national ID number by every test the number itself allows:
 * a province code, a birth date between 1900 and `today`, and the GB 11643 check character.
 */
export function isPlausibleNationalId(candidate: string, today = new Date()): boolean {
  const id = candidate.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id) || !PROVINCES.has(id.slice(0, 2))) return false;
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const born = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d) return false;
  if (born.getTime() > today.getTime()) return false;
  return nationalIdCheckChar(id) === id[17];
}

/**
 * UUIDs and hexadecimal runs of 16 or more characters with a letter in them (SHA-256 digests,
 * trace and span ids): digits inside them are not numbers anyone wrote, so they are blanked
 * (same length) before the patterns run. A run of digits only is kept: it may be an ID number.
 */
const HEXISH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}/gi;
export function blankHex(text: string): string {
  return text.replace(HEXISH, (run) => (run.includes('-') || /[a-f]/i.test(run) ? ' '.repeat(run.length) : run));
}

/** 18 characters, digits with a final digit or X, not inside a longer run of them. */
const ID_CANDIDATE = /(?<![\dXx])\d{17}[\dXx](?![\dXx])/g;
/**
 * A mainland mobile number: 1[3-9] and 9 more digits, as bare digits or written 3-4-4 with spaces
 * or hyphens, optionally after +86 / 0086 / 86; not inside a longer run of digits.
 */
const PHONE = /(?<!\d)(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)(?:(\d{4})(\d{4})|([\s-])(\d{4})\4(\d{4}))(?!\d)/g;

export function findNationalIds(text: string, today = new Date()): string[] {
  return [...blankHex(text).matchAll(ID_CANDIDATE)].map((m) => m[0].toUpperCase()).filter((id) => isPlausibleNationalId(id, today));
}

export function findMobilePhones(text: string): string[] {
  return [...blankHex(text).matchAll(PHONE)].map((m) => `${m[1]}${m[2] ?? m[5]}${m[3] ?? m[6]}`);
}

// ——— what the tests sent ———

/** A normalised ID-number-shaped value (15–20 characters, digits with an optional final X), or null. */
function idShaped(raw: string): string | null {
  const value = raw.trim().toUpperCase();
  return /^\d{14,19}[\dX]$/.test(value) ? value : null;
}

/** A normalised phone-shaped value (the digits, +86 dropped, 7–15 of them), or null. */
function phoneShaped(raw: string): string | null {
  const digits = raw.trim().replace(/^(?:\+|00)86/, '').replace(/[\s()-]/g, '');
  return /^\d{7,15}$/.test(digits) ? digits : null;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;
const hasTwoCjk = (text: string) => (text.match(CJK)?.length ?? 0) >= 2;

const ID_KEYS = new Set(['idnumber', 'idno', 'idcard', 'nationalid', 'nationalidnumber']);
const PHONE_KEYS = new Set(['phone', 'mobile', 'mobilephone', 'phonenumber', 'tel', 'telephone']);

/**
 * The personal values in a request body (a GraphQL request's variables, or any JSON): strings
 * under idNumber-like and phone-like keys, and the name and contact of a `complainant`. Values
 * too short to search for without false alarms are left out: an ID number or phone must look like
 * one, a name must have two Chinese characters, a contact four characters.
 */
export function sensitiveValuesOf(body: unknown): SensitiveValue[] {
  const out: SensitiveValue[] = [];
  const add = (kind: SensitiveKind, value: string | null) => {
    if (value) out.push({ kind, value });
  };
  const contact = (raw: string) => {
    const phone = phoneShaped(raw);
    if (phone) add('phone', phone);
    else if (raw.trim().length >= 4) add('contact', raw.trim());
  };
  const walk = (value: unknown, key: string, parent: string) => {
    if (typeof value === 'string') {
      const k = key.toLowerCase();
      if (ID_KEYS.has(k)) add('id-number', idShaped(value));
      else if (PHONE_KEYS.has(k)) add('phone', phoneShaped(value));
      else if (parent === 'complainant' && k === 'name' && hasTwoCjk(value)) add('name', value.trim());
      else if (k === 'contact') contact(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, key, parent);
      return;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k, key.toLowerCase());
    }
  };
  walk(body, '', '');
  return out;
}

/**
 * ID-number- and phone-shaped numbers in a body that is not JSON (a CSV upload): every one, valid
 * or not, since a malformed number is still somebody's number and must not be echoed either.
 */
export function numbersInText(text: string): SensitiveValue[] {
  const out: SensitiveValue[] = [];
  for (const m of text.matchAll(/(?<![\dXx])\d{14,17}[\dXx](?![\dXx])/g)) out.push({ kind: 'id-number', value: m[0].toUpperCase() });
  for (const m of text.matchAll(/(?<!\d)1\d{10}(?!\d)/g)) out.push({ kind: 'phone', value: m[0] });
  return out;
}

// ——— the scanner ———

/** A value as a report may show it: ID numbers as maskNationalId, phones as maskMobilePhone, names by their first character. */
export function maskForReport(value: string): string {
  if (/^[\dXx]{12,}$/.test(value)) return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
  if (/^\d{7,11}$/.test(value)) return `${value.slice(0, 3)}${'*'.repeat(Math.max(0, value.length - 7))}${value.slice(-4)}`;
  return `${[...value][0] ?? ''}${'*'.repeat(Math.max(1, [...value].length - 1))}`;
}

/** Text forms a value may take besides the raw one: JSON \u escapes and %-encoding undone. */
function variants(text: string): string[] {
  const out = [text];
  if (text.includes('\\u')) out.push(text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    out.push(text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    }));
  }
  return out;
}

export interface ScanCounts {
  /** Lines, errors or messages (or keys, values and headers) scanned. */
  items: number;
  bytes: number;
}

export class LeakScanner {
  /** What was found (the first `maxLeaks`; `leakCount` counts them all). */
  readonly leaks: Leak[] = [];
  leakCount = 0;
  readonly scanned: Record<LeakSource, ScanCounts> = { log: { items: 0, bytes: 0 }, error: { items: 0, bytes: 0 }, kafka: { items: 0, bytes: 0 } };
  /** Digit values (ID numbers, phones), matched against whole runs of digits. */
  private readonly numbers = new Map<string, SensitiveKind>();
  /** Names and contacts, matched as substrings. */
  private readonly words = new Map<string, SensitiveKind>();

  constructor(
    values: Iterable<SensitiveValue>,
    private readonly options: { today?: Date; maxLeaks?: number } = {},
  ) {
    for (const { kind, value } of values) {
      if (kind === 'id-number' || kind === 'phone') {
        const number = kind === 'id-number' ? idShaped(value) : phoneShaped(value);
        if (number) this.numbers.set(number, kind);
      } else if (value.trim()) {
        this.words.set(value.trim(), kind);
      }
    }
  }

  /** How many distinct values are searched for, by kind. */
  valueCounts(): Record<SensitiveKind, number> {
    const counts: Record<SensitiveKind, number> = { name: 0, contact: 0, 'id-number': 0, phone: 0 };
    for (const kind of [...this.numbers.values(), ...this.words.values()]) counts[kind]++;
    return counts;
  }

  /** Scans one piece of text; returns (and keeps) what it found, each value once. */
  scan(source: LeakSource, where: string, text: string): Leak[] {
    this.scanned[source].items++;
    this.scanned[source].bytes += Buffer.byteLength(text);
    const found = new Map<string, Leak>();
    const report = (kind: LeakKind, value: string, inText: string, at: number) => {
      if (found.has(value)) return;
      const excerpt = this.maskAll(`${inText.slice(Math.max(0, at - 60), at)}${value}${inText.slice(at + value.length, at + value.length + 60)}`);
      found.set(value, { source, where, kind, value: maskForReport(value), excerpt });
    };
    for (const variant of variants(text)) {
      const blanked = blankHex(variant);
      for (const m of blanked.matchAll(ID_CANDIDATE)) {
        if (isPlausibleNationalId(m[0], this.options.today)) report('national-id', m[0].toUpperCase(), variant, m.index);
      }
      for (const m of blanked.matchAll(PHONE)) report('mobile-phone', `${m[1]}${m[2] ?? m[5]}${m[3] ?? m[6]}`, variant, m.index);
      if (this.numbers.size) {
        // Every whole run of digits (and X), also with the spaces and hyphens between digits dropped.
        const joined = blanked.replace(/(?<=\d)[\s-](?=\d)/g, '');
        for (const candidate of joined === blanked ? [blanked] : [blanked, joined]) {
          for (const m of candidate.matchAll(/(?:\+|00)?(?<![\dXx])\d[\dXx]*/g)) {
            const run = m[0].toUpperCase();
            if (run.length < 7 || run.length > 24) continue;
            for (const form of new Set([run, run.replace(/^(?:\+|00)?86/, '')])) {
              const kind = this.numbers.get(form);
              if (kind) report(kind, form, candidate, m.index + (run.length - form.length));
            }
          }
        }
      }
      for (const [word, kind] of this.words) {
        const at = variant.indexOf(word);
        if (at >= 0) report(kind, word, variant, at);
      }
    }
    const leaks = [...found.values()];
    this.leakCount += leaks.length;
    const room = (this.options.maxLeaks ?? 1000) - this.leaks.length;
    if (room > 0) this.leaks.push(...leaks.slice(0, room));
    return leaks;
  }

  /** An excerpt fit for a report: every long number and every searched word masked. */
  private maskAll(text: string): string {
    let out = text.replace(/\d[\dXx]{6,}/g, (run) => maskForReport(run));
    for (const word of this.words.keys()) out = out.split(word).join(maskForReport(word));
    return out;
  }
}
