import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, of } from 'rxjs';
import { ClusterBusSettledInterceptor } from './bus-settled.interceptor';
import { ClusterBus, type ClusterTransport } from './cluster-bus';

/** A transport whose sends leave the process when the test says so. */
class HeldTransport implements ClusterTransport {
  readonly sent: { channel: string; leave: () => void }[] = [];

  send(channel: string): Promise<void> {
    return new Promise((resolve) => this.sent.push({ channel, leave: resolve }));
  }

  listen(): void {}
}

function busWith(transport: ClusterTransport): ClusterBus {
  const bus = new ClusterBus();
  bus.useTransport(transport);
  return bus;
}

describe('ClusterBus.settled', () => {
  it('is settled at once when nothing is on its way out', async () => {
    const sut = new ClusterBus();
    sut.publish('cache.units');
    expect(sut.sending).toBe(false);
    await expect(sut.settled()).resolves.toBeUndefined();
  });

  it('waits until every message published so far has left the process', async () => {
    const transport = new HeldTransport();
    const sut = busWith(transport);
    sut.publish('cache.units');
    sut.publish('cache.categories');
    expect(sut.sending).toBe(true);
    let settled = false;
    const waiting = sut.settled().then(() => (settled = true));
    transport.sent[0].leave();
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    transport.sent[1].leave();
    await waiting;
    expect(sut.sending).toBe(false);
  });

  it('does not count a message no answer waits for (answersWait: false), though it is sent', async () => {
    const transport = new HeldTransport();
    const sut = busWith(transport);
    sut.publish('repeat.recorded', { orders: [] }, { answersWait: false });
    expect(transport.sent.map((m) => m.channel)).toEqual(['repeat.recorded']);
    expect(sut.sending).toBe(false);
    await expect(sut.settled()).resolves.toBeUndefined();
  });

  it('gives up waiting after the timeout (Redis away must not hang the answer)', async () => {
    jest.useFakeTimers();
    try {
      const sut = busWith(new HeldTransport());
      sut.publish('cache.units');
      const waiting = sut.settled(250);
      jest.advanceTimersByTime(250);
      await expect(waiting).resolves.toBeUndefined();
      expect(sut.sending).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('ClusterBusSettledInterceptor', () => {
  const context = {} as ExecutionContext;

  it('holds the answer of a request that published until the message has left the process', async () => {
    const transport = new HeldTransport();
    const bus = busWith(transport);
    const sut = new ClusterBusSettledInterceptor(bus);
    const handler: CallHandler = {
      handle: () => {
        bus.publish('cache.categories');
        return of({ id: 3 });
      },
    };
    let answered = false;
    const answer = firstValueFrom(sut.intercept(context, handler)).then((value) => {
      answered = true;
      return value;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(answered).toBe(false);
    transport.sent[0].leave();
    await expect(answer).resolves.toEqual({ id: 3 });
  });

  it('does not hold an answer when nothing was published', async () => {
    const sut = new ClusterBusSettledInterceptor(busWith(new HeldTransport()));
    await expect(firstValueFrom(sut.intercept(context, { handle: () => of('plain') }))).resolves.toBe('plain');
  });
});
