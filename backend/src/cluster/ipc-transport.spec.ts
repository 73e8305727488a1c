import { EventEmitter } from 'node:events';
import { ClusterBus } from './cluster-bus';
import { IpcTransport, isIpcBusMessage, relayBusMessage } from './ipc-transport';

/**
 * A primary and its workers without processes: each worker's `process` is an EventEmitter whose send() goes to the
 * primary, which relays as WorkerSupervisor does (relayBusMessage) by emitting 'message' on the other workers.
 */
class FakeNode {
  readonly workers: { id: number; endpoint: EventEmitter & { connected: boolean; send: (message: unknown) => boolean }; connected: boolean }[] = [];

  addWorker(): ClusterBus {
    const id = this.workers.length + 1;
    const endpoint = Object.assign(new EventEmitter(), {
      connected: true,
      send: (message: unknown, _handle?: undefined, _options?: object, callback?: (error: Error | null) => void) => {
        // Asynchronous, like IPC.
        setImmediate(() => {
          relayBusMessage({ id }, message, this.handles());
          callback?.(null);
        });
        return true;
      },
    });
    this.workers.push({ id, endpoint, connected: true });
    const bus = new ClusterBus();
    bus.useTransport(new IpcTransport(endpoint));
    return bus;
  }

  private handles() {
    return this.workers.map((w) => ({
      id: w.id,
      isConnected: () => w.connected,
      send: (message: unknown) => {
        setImmediate(() => w.endpoint.emit('message', message));
        return true;
      },
    }));
  }
}

const flush = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('the bus over node:cluster IPC', () => {
  it('delivers a message once to the sender and once to every other worker', async () => {
    const node = new FakeNode();
    const buses = [node.addWorker(), node.addWorker(), node.addWorker()];
    const heard: string[][] = buses.map(() => []);
    buses.forEach((bus, i) => bus.subscribe('cache.categories', (payload) => heard[i].push(String(payload))));
    buses[1].publish('cache.categories', 'renamed');
    // The sender's own handlers run at once, before anything crossed a process.
    expect(heard).toEqual([[], ['renamed'], []]);
    await flush();
    expect(heard).toEqual([['renamed'], ['renamed'], ['renamed']]);
  });

  it('skips a worker whose channel is disconnected', async () => {
    const node = new FakeNode();
    const first = node.addWorker();
    const second = node.addWorker();
    const third = node.addWorker();
    node.workers[2].connected = false;
    const heard: unknown[] = [];
    second.subscribe('cache.units', (payload) => heard.push(['second', payload]));
    third.subscribe('cache.units', (payload) => heard.push(['third', payload]));
    first.publish('cache.units', { id: 7 });
    await flush();
    expect(heard).toEqual([['second', { id: 7 }]]);
  });

  it('does not send on a channel that is already closed (a worker shutting down)', () => {
    const endpoint = Object.assign(new EventEmitter(), { connected: false, send: jest.fn() });
    void new IpcTransport(endpoint).send('cache.units', null);
    expect(endpoint.send).not.toHaveBeenCalled();
  });

  it('ignores what is not a bus message (socket.io adapter messages share the channel)', async () => {
    const endpoint = Object.assign(new EventEmitter(), { connected: true, send: jest.fn() });
    const sut = new IpcTransport(endpoint);
    const deliver = jest.fn();
    sut.listen(deliver);
    endpoint.emit('message', { source: '_sio_adapter', type: 3, nsp: '/' });
    endpoint.emit('message', 'text');
    endpoint.emit('message', { source: 'jiesu-bus', channel: 'cache.categories', payload: 1 });
    expect(deliver.mock.calls).toEqual([['cache.categories', 1]]);
    await sut.close();
    endpoint.emit('message', { source: 'jiesu-bus', channel: 'cache.categories', payload: 2 });
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(isIpcBusMessage({ source: '_sio_adapter' })).toBe(false);
    expect(relayBusMessage({ id: 1 }, { source: '_sio_adapter' }, [])).toBe(0);
  });
});
