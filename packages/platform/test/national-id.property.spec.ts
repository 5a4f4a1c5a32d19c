import fc from 'fast-check';
import { DomainError, nationalIdCheckChar, parseNationalId } from '../src';

// Property-based tests (fast-check) of GB 11643-1999 validation: every well-formed number passes
// and says what it encodes; any single-character change is refused by the format, date or
// checksum check (ISO 7064 MOD 11-2 detects every single substitution).

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const validNumber = fc
  .record({
    address: fc.integer({ min: 110000, max: 829999 }),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ address, birth, sequence }) => {
    const date = `${birth.getUTCFullYear()}${pad(birth.getUTCMonth() + 1, 2)}${pad(birth.getUTCDate(), 2)}`;
    const first17 = `${address}${date}${pad(sequence, 3)}`;
    return { id: `${first17}${nationalIdCheckChar(first17)}`, birth: birth.toISOString().slice(0, 10), male: sequence % 2 === 1, address: String(address) };
  });

const ALPHABET = '0123456789X';

it('every generated valid number passes and yields its birth date, gender and address code', () => {
  fc.assert(
    fc.property(validNumber, ({ id, birth, male, address }) => {
      expect(parseNationalId(id)).toEqual({ birthDate: birth, gender: male ? 'MALE' : 'FEMALE', addressCode: address });
      // Lower-case x and surrounding spaces are the same number.
      expect(parseNationalId(` ${id.toLowerCase()} `)).toEqual(parseNationalId(id));
    }),
    { numRuns: 5000 },
  );
});

it('any single-character change fails the format, birth-date or checksum check', () => {
  fc.assert(
    fc.property(validNumber, fc.nat(17), fc.constantFrom(...ALPHABET), ({ id }, position, replacement) => {
      fc.pre(id[position] !== replacement);
      const changed = id.slice(0, position) + replacement + id.slice(position + 1);
      let error: unknown;
      try {
        parseNationalId(changed);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(['PERSON.ID_NUMBER_FORMAT', 'PERSON.ID_NUMBER_BIRTH_DATE', 'PERSON.ID_NUMBER_CHECKSUM']).toContain((error as DomainError).rule);
    }),
    { numRuns: 10000 },
  );
});

it('any arbitrary string is either a valid number or refused with BAD_USER_INPUT, never another error', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^\d{17}[\dXx]$/)), (raw) => {
      try {
        const facts = parseNationalId(raw);
        expect(facts.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      } catch (e) {
        expect(e).toMatchObject({ code: 'BAD_USER_INPUT' });
      }
    }),
    { numRuns: 5000 },
  );
});
