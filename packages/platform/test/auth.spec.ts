import { DomainError, createTokenVerifier, issueToken, requireInScope, requireRole, verifyToken } from '../src';

const options = { secret: 'auth-unit-test-secret-0123456789abcdef' };
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof DomainError ? e.code : 'other'));

describe('tokens', () => {
  it('yields the caller’s roles, department and region path', async () => {
    const token = await issueToken({ userId: 'u1', roles: ['REVIEWER'], regionCode: '510107000000', department: 'PUBLIC_SECURITY' }, options);
    expect(await verifyToken(token, options)).toEqual({
      userId: 'u1',
      roles: ['REVIEWER'],
      regionCode: '510107000000',
      regionPath: '51.5101.510107',
      department: 'PUBLIC_SECURITY',
    });
  });

  it('refuses another issuer, another audience, a wrong secret and an expired token', async () => {
    const base = { userId: 'u1', roles: ['AUDITOR' as const], regionCode: '000000000000' };
    expect(await codeOf(verifyToken(await issueToken(base, { ...options, issuer: 'elsewhere' }), options))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verifyToken(await issueToken(base, { ...options, audience: 'elsewhere' }), options))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verifyToken(await issueToken(base, { secret: 'x'.repeat(40) }), options))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verifyToken(await issueToken({ ...base, expiresIn: '-5m' }, options), options))).toBe('UNAUTHENTICATED');
  });
});

describe('authorisation', () => {
  const officer = { userId: 'u', roles: ['TOWN_OFFICER' as const], regionCode: '510107018000', regionPath: '51.5101.510107.510107018' };

  it('checks roles and region scope', () => {
    expect(() => requireRole(officer, ['ORG_ADMIN'], 'createOrgUnit')).toThrow('createOrgUnit requires one of the roles ORG_ADMIN');
    expect(() => requireRole(officer, ['ORG_ADMIN', 'TOWN_OFFICER'], 'registerPerson')).not.toThrow();
    expect(() => requireInScope(officer, '51.5101.510107.510107018.510107018003', 'x')).not.toThrow();
    expect(() => requireInScope(officer, '51.5101.510107.510107019.510107019001', 'x')).toThrow(DomainError);
  });
});

describe('token verifier cache', () => {
  it('verifies a token once and refuses it after its expiry even from the cache', async () => {
    let clock = Date.now();
    const verify = createTokenVerifier(options, { now: () => clock });
    const token = await issueToken({ userId: 'u2', roles: ['AUDITOR'], regionCode: '510100000000', expiresIn: '2m' }, options);
    expect((await verify(token)).regionPath).toBe('51.5101');
    clock += 60_000;
    expect((await verify(token)).userId).toBe('u2');
    clock += 120_000;
    expect(await codeOf(verify(token))).toBe('UNAUTHENTICATED');
  });

  it('does not remember a refusal', async () => {
    const verify = createTokenVerifier(options);
    const forged = await issueToken({ userId: 'u3', roles: ['AUDITOR'], regionCode: '000000000000' }, { secret: 'y'.repeat(40) });
    expect(await codeOf(verify(forged))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify(forged))).toBe('UNAUTHENTICATED');
  });
});
