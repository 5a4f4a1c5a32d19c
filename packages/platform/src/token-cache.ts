import { createHash } from 'node:crypto';
import { unauthenticated } from './errors';
import { verifyToken, type AuthContext, type AuthOptions } from './auth';

/**
 * Remembers verified tokens until they expire, so a federated request — the gateway and up to
 * five subgraphs each checking the same token — pays for one signature check per token, not one
 * per hop. Only successes are kept, keyed by a hash of the token; the claims' own expiry still
 * applies, checked against the injected clock.
 */
export function createTokenVerifier(
  options: AuthOptions,
  settings: { maxEntries?: number; now?: () => number } = {},
): (token: string) => Promise<AuthContext> {
  const maxEntries = settings.maxEntries ?? 10_000;
  const now = settings.now ?? Date.now;
  const cache = new Map<string, { auth: AuthContext; expiresAt: number }>();
  return async (token) => {
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = cache.get(key);
    if (hit) {
      if (hit.expiresAt > now()) return hit.auth;
      cache.delete(key);
      throw unauthenticated('the token has expired');
    }
    const auth = await verifyToken(token, options);
    const [, payload] = token.split('.');
    const exp = Number((JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp);
    if (Number.isFinite(exp)) {
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!); // oldest first
      cache.set(key, { auth, expiresAt: exp * 1000 });
    }
    return auth;
  };
}
