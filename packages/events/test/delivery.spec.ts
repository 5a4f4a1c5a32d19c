import { createLogger } from '@huanjie/platform';
import { PermanentError, createInProcessBus, deliverWithRetry, fromKafkaMessage, toKafkaMessage, type EventEnvelope } from '../src';

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
