import { randomBytes } from 'node:crypto';
import { requireExternal } from '../support/external';
import { login, type RunningServer, startServer, waitForOutput } from '../support/server';
import { type ConnectedSocket, redisAnswers, send, sendVia, socketsOnEveryWorker, connectSocket } from './cluster-client';

/**
 * `npm start` with several processes: WORKERS=2 on one node (node:cluster, the cluster adapter, the bus over IPC),
 * and two nodes of one process each sharing Redis (the Redis adapter, the bus over Redis pub/sub). Every check
 * crosses processes: what one process did must reach the sockets and the caches of the other.
 */
const MYSQL_URL = process.env.TEST_MYSQL_URL;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const hasMysql = requireExternal('MariaDB/MySQL (TEST_MYSQL_URL)', Boolean(MYSQL_URL), 'set TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test (several workers need MariaDB/MySQL)');
const describeWithMysql = hasMysql ? describe : describe.skip;

interface CategoryNode {
  id: number;
  name: string;
  children: CategoryNode[];
}
interface Order {
  id: number;
  number: string;
}

async function scratchDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const { createConnection } = await import('mysql2/promise');
  const name = `jiesu_workers_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection({ uri: MYSQL_URL });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(MYSQL_URL as string);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const connection = await createConnection({ uri: MYSQL_URL });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

const flatten = (nodes: CategoryNode[]): CategoryNode[] => nodes.flatMap((node) => [node, ...flatten(node.children)]);

async function streetLightCategory(url: string, token: string): Promise<number> {
  const tree = await send<CategoryNode[]>(url, 'GET', '/api/categories', token);
  const category = flatten(tree.body).find((c) => c.name === '路灯');
  if (!category) throw new Error('The demo category 路灯 is missing');
  return category.id;
}

const registration = (categoryId: number, title: string) => ({
  channel: 'phone',
  citizenName: '多进程测试',
  citizenPhone: '13700008888',
  address: '朝阳街道朝阳路2号',
  categoryId,
  title,
  content: `${title}：朝阳路2号门口路灯不亮。`,
});

function register(url: string, token: string, categoryId: number, title: string) {
  return send<Order>(url, 'POST', '/api/work-orders', token, registration(categoryId, title));
}

/** Registers until worker `via` took one (the orders registered through the other worker on the way are harmless). */
function registerVia(via: string, url: string, token: string, categoryId: number, title: string) {
  return sendVia<Order>(via, url, 'POST', '/api/work-orders', token, registration(categoryId, title));
}

/** The name of category `id` as the process answering this request sees it. */
async function categoryName(url: string, token: string, id: number, worker?: string): Promise<{ name: string | undefined; worker: string | undefined }> {
  const answer = worker ? await sendVia<CategoryNode[]>(worker, url, 'GET', '/api/categories', token) : await send<CategoryNode[]>(url, 'GET', '/api/categories', token);
  if (worker) expect(answer.worker).toBe(worker);
  return { name: flatten(answer.body).find((c) => c.id === id)?.name, worker: answer.worker };
}

describeWithMysql('WORKERS=2 on MariaDB: one node, two worker processes', () => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  const sockets: ConnectedSocket[] = [];

  beforeAll(async () => {
    database = await scratchDatabase();
    // LOG_LEVEL=info: the primary's lines about its workers are how the test sees a restart.
    server = await startServer({ DATABASE_URL: database.url, WORKERS: '2', LOG_LEVEL: 'info' });
    await waitForOutput(server.output, /jiesu is listening on .*2 worker processes/);
  }, 180_000);

  afterAll(async () => {
    for (const { socket } of sockets) socket.disconnect();
    await server?.stop();
    await database?.drop();
  });

  it('runs two workers that both answer on the one port', async () => {
    const workers = new Set<string | undefined>();
    for (let i = 0; i < 40 && workers.size < 2; i++) {
      const health = await send(server.url, 'GET', '/api/health');
      expect(health.status).toBe(200);
      workers.add(health.worker);
    }
    expect([...workers].sort()).toEqual(['1', '2']);
    expect(server.output()).toMatch(/Starting 2 worker processes/);
  });

  it('tells a socket held by one worker about an order changed through the other', async () => {
    const dispatcher = await socketsOnEveryWorker(server.url, await login(server.url, 'dispatcher1'), ['1', '2']);
    sockets.push(...dispatcher.values());
    const agent = await login(server.url, 'agent1');
    const categoryId = await streetLightCategory(server.url, agent);
    // Once through each worker: each time the socket on the other worker hears it across processes.
    for (const via of ['1', '2']) {
      const order = await registerVia(via, server.url, agent, categoryId, `跨进程通知 ${via}`);
      expect({ status: order.status, worker: order.worker }).toEqual({ status: 201, worker: via });
      const heard = await Promise.all([...dispatcher.values()].map((s) => s.changeOf(order.body.number)));
      expect(heard.map((change) => change.action)).toEqual(['register', 'register']);
    }
  });

  it('disconnects a disabled user’s sockets on every worker', async () => {
    const agent2Token = await login(server.url, 'agent2');
    const agent2 = await socketsOnEveryWorker(server.url, agent2Token, ['1', '2']);
    sockets.push(...agent2.values());
    expect((await sendVia('2', server.url, 'GET', '/api/me', agent2Token)).status).toBe(200);
    const admin = await login(server.url, 'admin');
    const userId = agent2.get('1')?.userId as number;
    // Through one worker: the other must close its socket at once, not at its 30 s re-check.
    const disabled = await sendVia('1', server.url, 'PATCH', `/api/users/${userId}`, admin, { active: false });
    expect(disabled.status).toBe(200);
    const messages = await Promise.all([...agent2.values()].map((s) => s.closedByServer));
    expect(messages).toEqual(['The account has been disabled', 'The account has been disabled']);
    // The other worker refuses the token at once too (its copy of the user's session state was invalidated).
    expect(await sendVia('2', server.url, 'GET', '/api/me', agent2Token)).toMatchObject({ status: 401, worker: '2' });
  });

  it('shows a renamed category on the other worker at once (the cache invalidation crosses processes)', async () => {
    const admin = await login(server.url, 'admin');
    const categoryId = await streetLightCategory(server.url, admin);
    // Both workers have read the tree (and cached it, where there is a cache) before the change.
    expect((await categoryName(server.url, admin, categoryId, '1')).name).toBe('路灯');
    expect((await categoryName(server.url, admin, categoryId, '2')).name).toBe('路灯');
    const renamed = await sendVia('1', server.url, 'PATCH', `/api/categories/${categoryId}`, admin, { name: '路灯照明' });
    expect({ status: renamed.status, worker: renamed.worker }).toEqual({ status: 200, worker: '1' });
    expect((await categoryName(server.url, admin, categoryId, '2')).name).toBe('路灯照明');
    const back = await sendVia('2', server.url, 'PATCH', `/api/categories/${categoryId}`, admin, { name: '路灯' });
    expect({ status: back.status, worker: back.worker }).toEqual({ status: 200, worker: '2' });
    expect((await categoryName(server.url, admin, categoryId, '1')).name).toBe('路灯');
  });

  it('restarts a worker that dies, and the server keeps answering', async () => {
    const [, pid] = await waitForOutput(server.output, /Worker 2 \(pid (\d+)\) is listening/);
    const before = server.output().length;
    process.kill(Number(pid), 'SIGKILL');
    await waitForOutput(() => server.output().slice(before), new RegExp(`Worker 2 \\(pid ${pid}\\) exited with signal SIGKILL; restarting it in`));
    // Meanwhile every new connection is answered (by worker 1, until worker 2 is back).
    for (let i = 0; i < 5; i++) expect((await send(server.url, 'GET', '/api/health')).status).toBe(200);
    const [, newPid] = await waitForOutput(() => server.output().slice(before), /Worker 2 \(pid (\d+)\) is listening/);
    expect(newPid).not.toBe(pid);
    // The new worker 2 serves requests and hears what worker 1 does.
    const dispatcher = await socketsOnEveryWorker(server.url, await login(server.url, 'dispatcher1'), ['2']);
    sockets.push(...dispatcher.values());
    const agent = await login(server.url, 'agent1');
    const order = await registerVia('1', server.url, agent, await streetLightCategory(server.url, agent), '重启之后');
    expect(order).toMatchObject({ status: 201, worker: '1' });
    expect((await dispatcher.get('2')?.changeOf(order.body.number))?.action).toBe('register');
  });

  it('refuses a socket.io long-polling handshake plainly (workers take WebSocket only)', async () => {
    const polling = await send<{ message: string }>(server.url, 'GET', '/socket.io/?EIO=4&transport=polling');
    expect(polling.status).toBe(400);
    expect(polling.body).toMatchObject({ message: 'Transport unknown' });
  });
});

describe('WORKERS on SQLite', () => {
  it('refuses several workers at start-up, saying why', async () => {
    await expect(startServer({ WORKERS: '2' })).rejects.toThrow(/WORKERS: 2 worker processes cannot share a SQLite database.*MariaDB\/MySQL/s);
  });
});

describe('two nodes sharing Redis (one process each, one MariaDB)', () => {
  let runs = hasMysql;
  const servers: RunningServer[] = [];
  let database: Awaited<ReturnType<typeof scratchDatabase>> | null = null;
  const sockets: ConnectedSocket[] = [];

  beforeAll(async () => {
    runs = runs && requireExternal(`Redis at ${REDIS_URL}`, await redisAnswers(new URL(REDIS_URL).hostname, Number(new URL(REDIS_URL).port || 6379)), 'start redis-server (apt-get install -y redis-server)');
    if (!runs) return;
    database = await scratchDatabase();
    const shared = {
      DATABASE_URL: database.url,
      WORKERS: '1',
      REDIS_URL,
      // Unique per run: runs sharing one Redis do not hear each other.
      REDIS_KEY_PREFIX: `jiesu-e2e-${randomBytes(4).toString('hex')}:`,
      // Both nodes must accept each other's tokens.
      JWT_SECRET: randomBytes(32).toString('base64url'),
    };
    // One after the other: the first migrates and seeds the empty database.
    servers.push(await startServer(shared));
    servers.push(await startServer(shared));
  }, 180_000);

  afterAll(async () => {
    for (const { socket } of sockets) socket.disconnect();
    for (const server of servers) await server.stop();
    await database?.drop();
  });

  /** Runs the test only when MariaDB and Redis are there (the skip is announced loudly). */
  const withNodes = (name: string, test: () => Promise<void>) => it(name, async () => (runs ? test() : undefined));

  withNodes('tells a socket on node A about an order registered through node B', async () => {
    const [a, b] = servers;
    const socket = await connectSocket(a.url, await login(a.url, 'dispatcher1'));
    sockets.push(socket);
    expect(socket.worker).toBeUndefined();
    const agent = await login(b.url, 'agent1');
    const order = await register(b.url, agent, await streetLightCategory(b.url, agent), '跨节点通知');
    expect(order.status).toBe(201);
    expect((await socket.changeOf(order.body.number)).action).toBe('register');
  });

  withNodes('disconnects a disabled user’s socket on node A when node B disables the account', async () => {
    const [a, b] = servers;
    const token = await login(a.url, 'agent2');
    const socket = await connectSocket(a.url, token);
    sockets.push(socket);
    expect((await send(a.url, 'GET', '/api/me', token)).status).toBe(200);
    const disabled = await send(b.url, 'PATCH', `/api/users/${socket.userId}`, await login(b.url, 'admin'), { active: false });
    expect(disabled.status).toBe(200);
    expect(await socket.closedByServer).toBe('The account has been disabled');
    expect((await send(a.url, 'GET', '/api/me', token)).status).toBe(401);
  });

  withNodes('shows a category renamed on node A on node B at once', async () => {
    const [a, b] = servers;
    const adminA = await login(a.url, 'admin');
    const adminB = await login(b.url, 'admin');
    const categoryId = await streetLightCategory(a.url, adminA);
    expect((await categoryName(b.url, adminB, categoryId)).name).toBe('路灯');
    expect((await send(a.url, 'PATCH', `/api/categories/${categoryId}`, adminA, { name: '路灯照明' })).status).toBe(200);
    expect((await categoryName(b.url, adminB, categoryId)).name).toBe('路灯照明');
  });
});
