import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Personal data at rest: AES-256-GCM for the value, and an HMAC-SHA256 "blind index" so duplicates
 * can be found with an equality lookup without ever storing or comparing the plain value.
 */
export interface PiiCipher {
  /** Encrypts under the current key: `v2:<key id>:<base64 of iv, tag, ciphertext>`. */
  encrypt(plain: string): string;
  /** Decrypts with the key the stored value names (v1 values: key 'k1'); an unknown key id is an error. */
  decrypt(stored: string): string;
  blindIndex(plain: string): string;
  /** The id of the key new values are encrypted under. */
  readonly currentKeyId: string;
  /** The key id a stored value was encrypted under ('k1' for the unversioned-key v1 format). */
  keyIdOf(stored: string): string;
}

export interface PiiKeys {
  /** 32 bytes, base64: the single encryption key (PII_ENCRYPTION_KEY), id 'k1'. */
  encryptionKey?: string;
  /**
   * Several encryption keys with ids, current first (PII_ENCRYPTION_KEYS), e.g. 'k2:<base64>,k1:<base64>':
   * new values use the first, old values are read with the key they name. Takes precedence over encryptionKey.
   */
  encryptionKeys?: string;
  /**
   * 32 bytes, base64; a different key from the encryption keys. It does NOT rotate: the blind index
   * finds duplicates by equality, and a new index key would make every stored index unmatchable.
   */
  indexKey: string;
}

/** The id of PII_ENCRYPTION_KEY, and of every value written in the v1 format (before key ids). */
export const LEGACY_KEY_ID = 'k1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function decodeKey(name: string, value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes encoded as base64 (got ${key.length} bytes)`);
  return key;
}

/** Parses PII_ENCRYPTION_KEYS ('id:base64,id:base64', current first). */
export function parseEncryptionKeys(value: string): { id: string; key: Buffer }[] {
  const keys = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, i) => {
      const at = part.indexOf(':');
      const id = at < 0 ? '' : part.slice(0, at);
      if (!KEY_ID.test(id))
        throw new Error(`PII_ENCRYPTION_KEYS entry ${i + 1} must be <id>:<base64 key>, the id of letters, digits, '-' or '_'`);
      return { id, key: decodeKey(`PII_ENCRYPTION_KEYS key ${id}`, part.slice(at + 1)) };
    });
  if (keys.length === 0) throw new Error('PII_ENCRYPTION_KEYS names no key');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('PII_ENCRYPTION_KEYS names a key id twice');
  return keys;
}

export function createPiiCipher(keys: PiiKeys): PiiCipher {
  const encKeys =
    keys.encryptionKeys !== undefined
      ? parseEncryptionKeys(keys.encryptionKeys)
      : keys.encryptionKey !== undefined
        ? [{ id: LEGACY_KEY_ID, key: decodeKey('PII_ENCRYPTION_KEY', keys.encryptionKey) }]
        : (() => {
            throw new Error('set PII_ENCRYPTION_KEY or PII_ENCRYPTION_KEYS');
          })();
  const idxKey = decodeKey('PII_INDEX_KEY', keys.indexKey);
  if (encKeys.some((k) => k.key.equals(idxKey))) throw new Error('PII_INDEX_KEY must differ from every encryption key');
  const byId = new Map(encKeys.map((k) => [k.id, k.key]));
  const current = encKeys[0]!;
  const parse = (stored: string): { id: string; data: string } => {
    const parts = stored.split(':');
    if (parts[0] === 'v1' && parts.length === 2 && parts[1]) return { id: LEGACY_KEY_ID, data: parts[1] };
    if (parts[0] === 'v2' && parts.length === 3 && parts[1] && parts[2]) return { id: parts[1], data: parts[2] };
    throw new Error('unknown ciphertext version');
  };
  return {
    currentKeyId: current.id,
    keyIdOf: (stored) => parse(stored).id,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v2:${current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const { id, data } = parse(stored);
      const key = byId.get(id);
      if (!key)
        throw new Error(`the PII key ${JSON.stringify(id)} is not configured (PII_ENCRYPTION_KEYS): this value cannot be decrypted`);
      const raw = Buffer.from(data, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return createHmac('sha256', idxKey).update(plain, 'utf8').digest('hex');
    },
  };
}

/** Fresh random keys, for development and tests. */
export function generatePiiKeys(): PiiKeys & { encryptionKey: string } {
  return { encryptionKey: randomBytes(32).toString('base64'), indexKey: randomBytes(32).toString('base64') };
}

/** The PII keys from the environment: PII_ENCRYPTION_KEYS (or PII_ENCRYPTION_KEY) and PII_INDEX_KEY; undefined when none is set. */
export function piiKeysFromEnv(env: {
  PII_ENCRYPTION_KEY?: string;
  PII_ENCRYPTION_KEYS?: string;
  PII_INDEX_KEY?: string;
}): PiiKeys | undefined {
  if (!env.PII_INDEX_KEY || (!env.PII_ENCRYPTION_KEY && !env.PII_ENCRYPTION_KEYS)) return undefined;
  return {
    indexKey: env.PII_INDEX_KEY,
    ...(env.PII_ENCRYPTION_KEYS ? { encryptionKeys: env.PII_ENCRYPTION_KEYS } : { encryptionKey: env.PII_ENCRYPTION_KEY }),
  };
}
