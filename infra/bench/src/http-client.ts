import { Agent, request } from 'node:http';

/**
 * A lean GraphQL-over-HTTP client on node:http with keep-alive: cheaper per request than fetch,
 * which matters when the client shares two cores with the servers. Only 127.0.0.1 is allowed.
 */
export interface GraphQLError {
  message: string;
  extensions?: { code?: string; rule?: string };
}

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
}

export class GraphQLClient {
  private readonly url: URL;
  private readonly agent: Agent;

  constructor(
    url: string,
    private readonly token: string,
    maxSockets = 64,
  ) {
    this.url = new URL(toLoopback(url));
    if (this.url.hostname !== '127.0.0.1') throw new Error(`the bench only talks to 127.0.0.1, not ${this.url.hostname}`);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs one operation; resolves with status, data and errors (never throws on GraphQL errors). */
  post<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    const body = Buffer.from(JSON.stringify({ query, variables }));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            authorization: `Bearer ${this.token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              const parsed = JSON.parse(text) as { data?: T | null; errors?: GraphQLError[] };
              resolve({ status: res.statusCode ?? 0, data: parsed.data, errors: parsed.errors });
            } catch {
              resolve({ status: res.statusCode ?? 0, errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] });
            }
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like post, but throws unless the answer is HTTP 200 with data and no errors. */
  async must<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.post<T>(query, variables);
    const problem = describeFailure(res);
    if (problem) throw new Error(problem);
    return res.data as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** What went wrong with a response, or null when it is a clean success. */
export function describeFailure(res: GraphQLResult<unknown>): string | null {
  if (res.errors?.length) {
    return `HTTP ${res.status}: ${res.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}${e.extensions?.rule ? ` ${e.extensions.rule}` : ''}: ${e.message}`).join('; ')}`;
  }
  if (res.status !== 200) return `HTTP ${res.status} without errors`;
  if (res.data == null) return `HTTP ${res.status} without data`;
  return null;
}

/** The services print `http://localhost:PORT/graphql`; the bench addresses 127.0.0.1 explicitly. */
export function toLoopback(url: string): string {
  const u = new URL(url);
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1';
  return u.toString();
}
