import { createLogger } from '@huanjie/platform';
import { PermanentError, UnavailableError, createInProcessBus, deliverWithRetry, fromKafkaMessage, isDatabaseUnavailable, isPermanent, toKafkaMessage, type EventEnvelope } from '../src';

const logger = createLogger({ name: 'events-test', level: 'silent' });
const event = (id: string, subject = 'agg-1'): EventEnvelope => ({
  id,
  type: 'huanjie.personnel.PersonRegistered',
  name: 'PersonRegistered',
  source: '/huanjie/personnel',
  time: '2026-11-21T08:00:00.000Z',
  subject,
  topic: 'personnel.person.v1',
  data: { personId: subject },
});

describe('CloudEvents binary mode', () => {
  it('round-trips an envelope through a Kafka message', () => {
    const message = toKafkaMessage(event('e1'));
    expect(message.headers).toMatchObject({ ce_specversion: '1.0', ce_id: 'e1', 'content-type': 'application/json' });
    const back = fromKafkaMessage('personnel.person.v1', {
      key: Buffer.from(String(message.key)),
      value: Buffer.from(String(message.value)),
      headers: Object.fromEntries(Object.entries(message.headers!).map(([k, v]) => [k, Buffer.from(String(v))])),
      timestamp: '0',
      offset: '0',
      attributes: 0,
    });
    expect(back).toEqual(event('e1'));
  });

  it('refuses, as permanent, a message whose ce_time is no timestamp', () => {
    const message = toKafkaMessage(event('e1'));
    const headers = { ...Object.fromEntries(Object.entries(message.headers!).map(([k, v]) => [k, Buffer.from(String(v))])), ce_time: Buffer.from('not-a-time') };
    const read = () => fromKafkaMessage('personnel.person.v1', { key: null, value: Buffer.from(String(message.value)), headers, timestamp: '0', offset: '0', attributes: 0 });
    expect(read).toThrow('message header ce_time is not an RFC 3339 timestamp');
    expect(isPermanent((() => { try { read(); } catch (error) { return error; } })())).toBe(true);
  });
});

describe('deliverWithRetry', () => {
  const noSleep = async () => {};

  it('retries with doubling delays and succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await deliverWithRetry(
      async () => {
        if (++calls < 3) throw new Error('transient');
      },
      event('e2'),
      { retryDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBeNull();
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after maxAttempts and reports the last error', async () => {
    const result = await deliverWithRetry(async () => { throw new Error('down'); }, event('e3'), { maxAttempts: 4, sleep: noSleep });
    expect(result).toMatchObject({ attempts: 4 });
    expect((result!.error as Error).message).toBe('down');
  });

  it('keeps trying while the handler finds its database away, past maxAttempts, and never gives the event up', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await deliverWithRetry(
      async () => {
        if (++calls <= 7) throw new UnavailableError('database away');
      },
      event('e5'),
      { maxAttempts: 2, retryDelayMs: 100, maxRetryDelayMs: 1_000, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBeNull();
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('stops waiting for the database when the consumer closes, without dead-lettering', async () => {
    const closing = new AbortController();
    const attempt = deliverWithRetry(async () => { throw new UnavailableError('database away'); }, event('e6'), { signal: closing.signal, sleep: async () => void closing.abort() });
    await expect(attempt).rejects.toThrow('database away');
  });

  it('tells a database that is away from a statement that is wrong', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable({ message: 'terminating connection due to administrator command', driverError: { code: '57P01' } })).toBe(true);
    expect(isDatabaseUnavailable({ message: 'the database system is starting up', code: '57P03' })).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([refused], ''))).toBe(true);
    expect(isDatabaseUnavailable({ message: 'duplicate key value violates unique constraint', code: '23505' })).toBe(false);
    expect(isDatabaseUnavailable({ message: 'canceling statement due to statement timeout', code: '57014' })).toBe(false);
    expect(isDatabaseUnavailable(new Error('training_record refuses this person'))).toBe(false);
  });

  it('does not retry a permanent error', async () => {
    let calls = 0;
    const result = await deliverWithRetry(async () => { calls++; throw new PermanentError('bad payload'); }, event('e4'), { sleep: noSleep });
    expect(calls).toBe(1);
    expect(result?.attempts).toBe(1);
  });
});

describe('in-process bus', () => {
  it('delivers in publish order to every group and dead-letters what keeps failing', async () => {
    const bus = createInProcessBus({ logger });
    const a: string[] = [];
    const b: string[] = [];
    await bus.subscribe({ group: 'a', topics: ['personnel.person.v1'], handler: async (e) => void a.push(e.id) });
    await bus.subscribe({
      group: 'b',
      topics: ['personnel.person.v1'],
      maxAttempts: 2,
      retryDelayMs: 1,
      handler: async (e) => {
        if (e.id === 'poison') throw new Error('cannot handle');
        b.push(e.id);
      },
    });
    await bus.publish([event('1'), event('poison'), event('2')]);
    await bus.idle();
    expect(a).toEqual(['1', 'poison', '2']);
    expect(b).toEqual(['1', '2']);
    expect(bus.deadLetters.map((e) => [e.id, e.topic])).toEqual([['poison', 'personnel.person.v1.dlq']]);
    await bus.close();
  });
});
