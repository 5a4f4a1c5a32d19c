import { DomainError, createPiiCipher, generatePiiKeys, maskMobilePhone, maskNationalId, nationalIdCheckChar, normaliseMobilePhone, parseNationalId } from '../src';

const rule = (fn: () => unknown) => {
  try {
    fn();
    return 'none';
  } catch (e) {
    return e instanceof DomainError ? e.rule : 'other';
  }
};

describe('national ID numbers (GB 11643)', () => {
  it('computes the check character of the standard worked example', () => {
    expect(nationalIdCheckChar('11010519491231002')).toBe('X');
  });

  it('reads birth date and gender', () => {
    expect(parseNationalId('11010519491231002X')).toEqual({ birthDate: '1949-12-31', gender: 'FEMALE', addressCode: '110105' });
  });

  it('names the rule a bad number breaks', () => {
    expect(rule(() => parseNationalId('1101051949123100'))).toBe('PERSON.ID_NUMBER_FORMAT');
    expect(rule(() => parseNationalId('110105194902300021'))).toBe('PERSON.ID_NUMBER_BIRTH_DATE');
    expect(rule(() => parseNationalId('110105194912310021'))).toBe('PERSON.ID_NUMBER_CHECKSUM');
  });

  it('masks all but the first four and the last four', () => {
    expect(maskNationalId('11010519491231002x')).toBe('1101**********002X');
  });
});

describe('mobile numbers', () => {
  it('keeps the 11 digits of a number written with spaces, hyphens or +86', () => {
    expect(normaliseMobilePhone('+86 138-0013-8000')).toBe('13800138000');
  });

  it('refuses what is not a mainland mobile number, without echoing it', () => {
    for (const bad of ['1380013800', '138001380001', '12800138000', '028-85551234', '']) {
      expect(rule(() => normaliseMobilePhone(bad))).toBe('PERSON.PHONE_FORMAT');
    }
    expect(() => normaliseMobilePhone('1380013800')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('1380013800') }));
  });

  it('masks all but the first three and the last four', () => {
    expect(maskMobilePhone('13800131234')).toBe('138****1234');
  });
});

describe('PII cipher', () => {
  const cipher = createPiiCipher(generatePiiKeys());

  it('round-trips, with a fresh nonce each time', () => {
    const a = cipher.encrypt('11010519491231002X');
    const b = cipher.encrypt('11010519491231002X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('11010519491231002X');
    expect(cipher.decrypt(a)).toBe('11010519491231002X');
  });

  it('gives equal blind indexes for equal values and detects tampering', () => {
    expect(cipher.blindIndex('x')).toBe(cipher.blindIndex('x'));
    expect(cipher.blindIndex('x')).not.toBe(cipher.blindIndex('y'));
    const stored = cipher.encrypt('secret');
    const tampered = `${stored.slice(0, -2)}${stored.endsWith('A') ? 'B' : 'A'}=`;
    expect(() => cipher.decrypt(tampered)).toThrow();
  });

  it('refuses short or identical keys', () => {
    expect(() => createPiiCipher({ encryptionKey: 'c2hvcnQ=', indexKey: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    const key = generatePiiKeys().encryptionKey;
    expect(() => createPiiCipher({ encryptionKey: key, indexKey: key })).toThrow(/must differ/);
  });
});
