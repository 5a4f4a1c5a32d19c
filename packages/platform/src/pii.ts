import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Personal data at rest: AES-256-GCM for the value, and an HMAC-SHA256 "blind index" so duplicates
 * can be found with an equality lookup without ever storing or comparing the plain value.
 */
export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  blindIndex(plain: string): string;
}

export interface PiiKeys {
  /** 32 bytes, base64. */
  encryptionKey: string;
  /** 32 bytes, base64; a different key from encryptionKey. */
  indexKey: string;
}

const VERSION = 'v1';

function decodeKey(name: string, value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes encoded as base64 (got ${key.length} bytes)`);
  return key;
}

export function createPiiCipher(keys: PiiKeys): PiiCipher {
  const encKey = decodeKey('PII_ENCRYPTION_KEY', keys.encryptionKey);
  const idxKey = decodeKey('PII_INDEX_KEY', keys.indexKey);
  if (encKey.equals(idxKey)) throw new Error('PII_ENCRYPTION_KEY and PII_INDEX_KEY must differ');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const [version, data] = stored.split(':');
      if (version !== VERSION || !data) throw new Error('unknown ciphertext version');
      const raw = Buffer.from(data, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return createHmac('sha256', idxKey).update(plain, 'utf8').digest('hex');
    },
  };
}

/** Fresh random keys, for development and tests. */
export function generatePiiKeys(): PiiKeys {
  return { encryptionKey: randomBytes(32).toString('base64'), indexKey: randomBytes(32).toString('base64') };
}
