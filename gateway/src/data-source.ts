import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { GATEWAY_CREDENTIAL_HEADER, injectTraceHeaders, inSpan, SpanKind, type Metrics } from '@huanjie/platform';
import type { GatewayContext } from './gateway';

/**
 * How the gateway calls a subgraph: the caller's token and request id forwarded, a CLIENT span and
 * a duration per fetch, and the gateway's own credential (SUBGRAPH_SHARED_SECRET) when configured.
 * A fetch has `timeoutMs` to answer; a subgraph that is down or does not answer in time costs the
 * client that subgraph's fields only: they come back null with a SUBGRAPH_UNAVAILABLE error, the
 * rest of the answer as usual (HTTP 200).
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly subgraph: string,
    private readonly metrics: Metrics,
    private readonly credential: string | undefined,
    private readonly timeoutMs: number,
  ) {
    super(config);
    // The default fetcher (keep-alive connections, no retries) with a deadline on each fetch:
    // connecting, waiting for the answer and reading it.
    const fetcher = this.fetcher;
    this.fetcher = (url, init) => fetcher(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const stop = this.metrics.subgraphFetchDuration.startTimer({ subgraph: this.subgraph });
    // A CLIENT span per fetch; willSendRequest (inside it) puts its traceparent on the request.
    return inSpan(`fetch ${this.subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'huanjie.subgraph': this.subgraph } }, async () => {
      try {
        const response = await super.process(options);
        stop({ outcome: response.errors?.length ? 'error' : 'ok' });
        return response;
      } catch (error) {
        stop({ outcome: 'failed' });
        throw this.unavailable(error, options);
      }
    });
  }

  /**
   * A fetch that got no answer (refused, reset, timed out) as the error the client is sent: which
   * subgraph, and where in the answer its fields are missing; never the subgraph's address. The
   * original goes to the gateway's log. An answer the subgraph did give (an HTTP error status:
   * errorFromResponse) is passed on as it is.
   */
  private unavailable(error: unknown, options: GraphQLDataSourceProcessOptions<GatewayContext>): unknown {
    if (error instanceof GraphQLError) return error;
    const name = (error as { name?: unknown } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    (options.context as Partial<GatewayContext> | undefined)?.log?.warn(
      { subgraph: this.subgraph, err: error instanceof Error ? error.message : String(error), timedOut },
      'subgraph fetch failed',
    );
    // The fetch's place in the answer: the fields above any list of entities ('@'), e.g. ["orgUnit", "people", "nodes"].
    const whole = 'pathInIncomingRequest' in options ? options.pathInIncomingRequest : undefined;
    const at = whole?.indexOf('@') ?? -1;
    const path = whole && whole.length > 0 ? (at >= 0 ? whole.slice(0, at) : whole) : undefined;
    return new GraphQLError(
      timedOut
        ? `the ${this.subgraph} subgraph did not answer within ${this.timeoutMs} ms: its fields are missing from this answer (null)`
        : `the ${this.subgraph} subgraph is unavailable: its fields are missing from this answer (null)`,
      { path: path && path.length > 0 ? path : undefined, extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraph } },
    );
  }

  /**
   * A subgraph that answers with an HTTP error status. Apollo's default error hands the client the
   * subgraph's URL and whole body. Here a typed refusal (an expired token, say) reaches the client
   * with its message, code and rule only, as it would inside a 200; anything else, and the refusal
   * of a missing or wrong gateway credential (the operator's fault: a client told UNAUTHENTICATED
   * would log its user out), becomes an error with a non-client code, which the error formatter
   * logs and masks as INTERNAL_SERVER_ERROR.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const text = await response.text().catch(() => '');
    let first: { message?: unknown; extensions?: { code?: unknown; rule?: unknown } } | undefined;
    try {
      first = (JSON.parse(text) as { errors?: (typeof first)[] }).errors?.[0];
    } catch {
      // not JSON: reported below
    }
    const { code, rule } = first?.extensions ?? {};
    if (typeof first?.message === 'string' && typeof code === 'string' && rule !== 'AUTH.GATEWAY_CREDENTIAL') {
      return new GraphQLError(first.message, { extensions: { code, ...(typeof rule === 'string' ? { rule } : {}) } });
    }
    return new GraphQLError(`the ${this.subgraph} subgraph answered HTTP ${response.status}: ${text.slice(0, 300)}`, {
      extensions: { code: 'SUBGRAPH_HTTP_ERROR', subgraph: this.subgraph, status: response.status },
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // `context` is absent only for the gateway's own health checks; normal requests carry it.
    const ctx = context as Partial<GatewayContext>;
    if (ctx.token) request.http?.headers.set('authorization', `Bearer ${ctx.token}`);
    if (ctx.requestId) request.http?.headers.set('x-request-id', ctx.requestId);
    if (this.credential) request.http?.headers.set(GATEWAY_CREDENTIAL_HEADER, this.credential);
    injectTraceHeaders((name, value) => request.http?.headers.set(name, value));
  }
}
