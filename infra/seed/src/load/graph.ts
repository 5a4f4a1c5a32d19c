import { issueToken, type AuthOptions, type Role } from '@huanjie/platform';
import { graphqlClient } from '@huanjie/launcher';

/**
 * The loader's way into the graph: every operation goes through the gateway as the actor a
 * front-end would send it for (组织部, the township, 纪委监委, the 党校, each 联审 department), with
 * that actor's token over the city. Tokens are signed with the stack's secret; an ORG_ADMIN token
 * may be given instead (HUANJIE_TOKEN).
 */
export type Actor = 'ORG_ADMIN' | 'TOWN_OFFICER' | 'DISCIPLINE' | 'TRAINER' | `REVIEWER:${string}`;

export interface Graph {
  send<T = Record<string, unknown>>(actor: Actor, query: string, variables?: Record<string, unknown>): Promise<T>;
  token(actor: Actor): Promise<string>;
  /** Requests sent so far. */
  readonly requests: number;
}

export interface GraphOptions {
  gatewayUrl: string;
  /** Signs a token per actor; without it only `orgAdminToken` is available. */
  auth: AuthOptions | null;
  /** The region every token covers. */
  regionCode: string;
  orgAdminToken?: string;
}

export function createGraph(options: GraphOptions): Graph {
  const tokens = new Map<Actor, Promise<string>>();
  if (options.orgAdminToken) tokens.set('ORG_ADMIN', Promise.resolve(options.orgAdminToken));
  const clients = new Map<Actor, ReturnType<typeof graphqlClient>>();
  let requests = 0;
  const token = (actor: Actor) => {
    let t = tokens.get(actor);
    if (!t) {
      if (!options.auth)
        throw new Error(`no token for ${actor}: set AUTH_JWT_SECRET to the stack's secret (HUANJIE_TOKEN covers ORG_ADMIN only)`);
      const [role, department] = actor.split(':') as [Role, string | undefined];
      t = issueToken(
        {
          userId: `seed-${actor.toLowerCase().replace(':', '-')}`,
          roles: [role],
          regionCode: options.regionCode,
          department,
          expiresIn: '12h',
        },
        options.auth,
      );
      tokens.set(actor, t);
    }
    return t;
  };
  return {
    get requests() {
      return requests;
    },
    token,
    async send<T>(actor: Actor, query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let client = clients.get(actor);
      if (!client) {
        client = graphqlClient(options.gatewayUrl, await token(actor));
        clients.set(actor, client);
      }
      requests++;
      try {
        return (await client(query, variables)) as T;
      } catch (error) {
        // The variables stay out of the message: they may hold a complainant's name or contact.
        const op = /(?:query|mutation)[^{]*\{\s*(\w+)/.exec(query)?.[1] ?? 'request';
        throw new Error(`${op} as ${actor} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
  };
}
