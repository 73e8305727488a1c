import { Injectable } from '@nestjs/common';
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';

/** Set by the primary for each worker it forks: 1…WORKERS, kept when a worker is restarted in its place. */
export const WORKER_INDEX_ENV = 'JIESU_WORKER_INDEX';
/** Set by the primary for all its workers: one id per `npm start`, so that messages can tell "this node" from "another node". */
export const NODE_ID_ENV = 'JIESU_NODE_ID';

/** Which worker answered (WORKERS > 1), on HTTP responses and socket.io handshakes: for an operator following a request. */
export const WORKER_HEADER = 'X-Jiesu-Worker';

/** Where this process stands: one process on its own, or worker n of a node's primary. */
export interface ProcessRole {
  /** null when the process runs on its own (WORKERS=1, the tests, the CLI). */
  workerIndex: number | null;
  /** Shared by the workers of one primary; unique per process otherwise. */
  nodeId: string;
}

let ownNodeId: string | null = null;

export function processRole(env: NodeJS.ProcessEnv = process.env, isWorker: boolean = cluster.isWorker): ProcessRole {
  const index = Number(env[WORKER_INDEX_ENV]);
  const nodeId = env[NODE_ID_ENV];
  if (isWorker && Number.isInteger(index) && index >= 1 && nodeId) return { workerIndex: index, nodeId };
  ownNodeId ??= randomUUID();
  return { workerIndex: null, nodeId: ownNodeId };
}

/** This process's role, for the modules that act differently in a worker (the socket.io adapter). */
@Injectable()
export class ProcessRoleService {
  readonly role: ProcessRole = processRole();
}
