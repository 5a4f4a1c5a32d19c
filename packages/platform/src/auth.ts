import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { forbidden, unauthenticated } from './errors';
import { NATIONWIDE_CODE, isDivisionCode, isWithin, regionPathFromCode } from './region';

/** Who may do what; see DESIGN.md "Security". */
export const ROLES = [
  'ORG_ADMIN', // 组织部 — organisation department
  'DISCIPLINE', // 纪委监委 — discipline inspection and supervision
  'CIVIL_AFFAIRS', // 民政 — civil affairs
  'REVIEWER', // a department taking part in 联审, with its department code
  'TOWN_OFFICER', // 乡镇/街道 — township or sub-district officer
  'TRAINER', // 培训 — training staff
  'AUDITOR', // read-only
] as const;
export type Role = (typeof ROLES)[number];

export interface AuthContext {
  /** The token's subject: a user id, never a name or an ID number. */
  userId: string;
  roles: Role[];
  /** 行政区划代码 of the user's scope; '000000000000' for nationwide. */
  regionCode: string;
  /** Region path of the scope: the user sees and changes only this subtree. */
  regionPath: string;
  /** For REVIEWER: the department code in 联审 (e.g. 'PUBLIC_SECURITY'). */
  department?: string;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  region: z.string().refine(isDivisionCode, 'region must be a 12-digit 行政区划代码'),
  dept: z.string().optional(),
});

export interface AuthOptions {
  /** HS256 shared secret, at least 32 characters. */
  secret: string;
  /** Default: 'huanjie'. */
  issuer?: string;
  /** Default: 'huanjie'. */
  audience?: string;
  /** Allowed clock skew in seconds. Default: 30. */
  clockToleranceSeconds?: number;
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Verifies issuer, audience, expiry and signature; returns the caller's context. */
export async function verifyToken(token: string, options: AuthOptions): Promise<AuthContext> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key(options.secret), {
      issuer: options.issuer ?? 'huanjie',
      audience: options.audience ?? 'huanjie',
      algorithms: ['HS256'],
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('the token has expired');
    throw unauthenticated('the token is not valid for this service');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    throw unauthenticated(`the token lacks required claims: ${claims.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  const { sub, roles, region, dept } = claims.data;
  return {
    userId: sub,
    roles,
    regionCode: region,
    regionPath: region === NATIONWIDE_CODE ? '' : regionPathFromCode(region),
    ...(dept ? { department: dept } : {}),
  };
}

/** Reads `Authorization: Bearer …`; throws UNAUTHENTICATED when it is missing or malformed. */
export function bearerToken(header: string | undefined | null): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw unauthenticated('a bearer token is required (Authorization: Bearer <token>)');
  return match[1]!;
}

export interface IssueTokenInput {
  userId: string;
  roles: Role[];
  regionCode: string;
  department?: string;
  /** Lifetime, e.g. '8h'. Default: '8h'. */
  expiresIn?: string;
}

/** Signs a token. For development, tests and the token command; production tokens come from the identity provider. */
export async function issueToken(input: IssueTokenInput, options: AuthOptions): Promise<string> {
  return new SignJWT({ roles: input.roles, region: input.regionCode, ...(input.department ? { dept: input.department } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(input.userId)
    .setIssuer(options.issuer ?? 'huanjie')
    .setAudience(options.audience ?? 'huanjie')
    .setIssuedAt()
    .setExpirationTime(input.expiresIn ?? '8h')
    .sign(key(options.secret));
}

export function hasRole(auth: AuthContext, ...roles: Role[]): boolean {
  return auth.roles.some((r) => roles.includes(r));
}

/** Throws FORBIDDEN unless the caller holds one of the roles. */
export function requireRole(auth: AuthContext, roles: readonly Role[], action: string): void {
  if (!auth.roles.some((r) => roles.includes(r))) {
    throw forbidden('AUTH.ROLE', `${action} requires one of the roles ${roles.join(', ')}`);
  }
}

/** Throws FORBIDDEN unless the region path lies within the caller's scope. */
export function requireInScope(auth: AuthContext, regionPath: string, what: string): void {
  if (!isWithin(regionPath, auth.regionPath)) {
    throw forbidden('AUTH.REGION_SCOPE', `${what} lies outside your region scope (${auth.regionCode})`);
  }
}

/**
 * The secret `npm start` and `npm run token` use when AUTH_JWT_SECRET is unset. Local development
 * only: the containers require AUTH_JWT_SECRET and refuse to start without it.
 */
export const DEV_JWT_SECRET = 'huanjie-local-development-only-secret-0001';
