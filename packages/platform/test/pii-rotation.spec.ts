import { createCipheriv, randomBytes } from 'node:crypto';
import { LEGACY_KEY_ID, createPiiCipher, generatePiiKeys, parseEncryptionKeys, periodBound, piiKeysFromEnv } from '../src';

const key = () => randomBytes(32).toString('base64');

/** A value in the format written before key ids (v1:<base64 of iv, tag, body>), by hand. */
function v1(plain: string, base64Key: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

describe('PII key rotation', () => {
  const k1 = key();
  const k2 = key();
  const indexKey = key();

  it('reads the v1 format as key k1, with PII_ENCRYPTION_KEY alone and after rotation', () => {
    const old = v1('510107198207170021', k1);
    expect(createPiiCipher({ encryptionKey: k1, indexKey }).decrypt(old)).toBe('510107198207170021');
    const rotated = createPiiCipher({ encryptionKeys: `k2:${k2},k1:${k1}`, indexKey });
    expect(rotated.keyIdOf(old)).toBe(LEGACY_KEY_ID);
    expect(rotated.decrypt(old)).toBe('510107198207170021');
  });

  it('writes new values under the current (first) key and names it', () => {
    const single = createPiiCipher({ encryptionKey: k1, indexKey });
    expect(single.currentKeyId).toBe('k1');
    expect(single.encrypt('13800138000')).toMatch(/^v2:k1:/);
    const rotated = createPiiCipher({ encryptionKeys: `k2:${k2},k1:${k1}`, indexKey });
    const stored = rotated.encrypt('13800138000');
    expect(stored).toMatch(/^v2:k2:/);
    expect(rotated.decrypt(stored)).toBe('13800138000');
    // Values written before the rotation stay readable.
    expect(rotated.decrypt(single.encrypt('张三'))).toBe('张三');
    // A cipher with only the old key cannot read the new value, and says which key it lacks.
    expect(() => single.decrypt(stored)).toThrow(/PII key "k2" is not configured/);
  });

  it('refuses an unknown key id and an unknown format with a clear error', () => {
    const cipher = createPiiCipher({ encryptionKeys: `k2:${k2}`, indexKey });
    expect(() => cipher.decrypt(`v2:k9:${randomBytes(40).toString('base64')}`)).toThrow(/PII key "k9" is not configured/);
    expect(() => cipher.decrypt('v3:abc')).toThrow(/unknown ciphertext version/);
    expect(() => cipher.decrypt('plain text')).toThrow(/unknown ciphertext version/);
  });

  it('keeps the blind index whatever the encryption keys (the index key never rotates)', () => {
    const a = createPiiCipher({ encryptionKey: k1, indexKey });
    const b = createPiiCipher({ encryptionKeys: `k2:${k2},k1:${k1}`, indexKey });
    expect(b.blindIndex('510107198207170021')).toBe(a.blindIndex('510107198207170021'));
  });

  it('validates PII_ENCRYPTION_KEYS', () => {
    expect(parseEncryptionKeys(`k2:${k2}, k1:${k1}`).map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(() => parseEncryptionKeys(`k2:${k2},k2:${k1}`)).toThrow(/twice/);
    expect(() => parseEncryptionKeys(k2)).toThrow(/<id>:<base64 key>/);
    expect(() => parseEncryptionKeys('k2:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseEncryptionKeys(' , ')).toThrow(/names no key/);
    expect(() => createPiiCipher({ encryptionKeys: `k2:${k2},k1:${indexKey}`, indexKey })).toThrow(/must differ/);
    expect(() => createPiiCipher({ indexKey })).toThrow(/PII_ENCRYPTION_KEY or PII_ENCRYPTION_KEYS/);
  });

  it('reads the keys from the environment, PII_ENCRYPTION_KEYS first', () => {
    expect(piiKeysFromEnv({ PII_INDEX_KEY: indexKey })).toBeUndefined();
    expect(piiKeysFromEnv({ PII_ENCRYPTION_KEY: k1, PII_INDEX_KEY: indexKey })).toEqual({ encryptionKey: k1, indexKey });
    expect(piiKeysFromEnv({ PII_ENCRYPTION_KEY: k1, PII_ENCRYPTION_KEYS: `k2:${k2}`, PII_INDEX_KEY: indexKey })).toEqual({
      encryptionKeys: `k2:${k2}`,
      indexKey,
    });
    expect(createPiiCipher(generatePiiKeys()).currentKeyId).toBe('k1');
  });
});

describe('audit period bounds', () => {
  it('takes a date as a whole day in Asia/Shanghai and an instant as is', () => {
    expect(periodBound('2026-11-21', 'from').toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(periodBound('2026-11-21', 'to').toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(periodBound('2026-11-21T08:30:00Z', 'to').toISOString()).toBe('2026-11-21T08:30:00.000Z');
    expect(periodBound('2026-11-21T08:30:00+08:00', 'from').toISOString()).toBe('2026-11-21T00:30:00.000Z');
    expect(() => periodBound('2026-02-30', 'from')).toThrow(/date/);
    expect(() => periodBound('2026-11-21T08:30:00', 'from')).toThrow(/zone/);
  });
});
