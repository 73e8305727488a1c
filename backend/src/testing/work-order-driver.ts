import type request from 'supertest';
import { WorkAfterAnswer } from '../common/work-after-answer';
import type { TestApp } from './test-app';

interface TreeNode {
  id: number;
  code: string;
  children: TreeNode[];
}

function flatten(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** Test helper: registers orders and takes actions through the HTTP API, as named demo users. */
export class WorkOrderDriver {
  private unitIds = new Map<string, number>();
  private categoryIds = new Map<string, number>();

  constructor(private readonly t: TestApp) {}

  async load(): Promise<this> {
    const units = await this.t.get('admin', '/api/units');
    for (const u of flatten(units.body)) this.unitIds.set(u.code, u.id);
    const categories = await this.t.get('admin', '/api/categories');
    for (const c of flatten(categories.body)) this.categoryIds.set(c.code, c.id);
    return this;
  }

  unit(code: string): number {
    const id = this.unitIds.get(code);
    if (id === undefined) throw new Error(`No unit ${code}`);
    return id;
  }

  category(code: string): number {
    const id = this.categoryIds.get(code);
    if (id === undefined) throw new Error(`No category ${code}`);
    return id;
  }

  registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      channel: 'phone',
      citizenName: '测试市民',
      citizenPhone: '13812341234',
      address: '朝阳街道朝阳路18号',
      districtUnitId: this.unit('dc'),
      streetUnitId: this.unit('dc_cy'),
      categoryId: this.category('C010101'),
      title: '朝阳路路灯不亮',
      content: '朝阳路18号门前路灯连续三晚不亮，请求维修。',
      ...overrides,
    };
  }

  /** Registers as `username` and returns the new order's detail. */
  async register(username = 'agent1', overrides: Record<string, unknown> = {}): Promise<OrderBody> {
    const response = await this.t.post(username, '/api/work-orders', this.registration(overrides));
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
    // With the repeat detector on, it screens the order after the answer: wait for it, so that what a test does next
    // never races the detector's mark (the answer is what the agent saw: before the mark).
    await this.t.app.get(WorkAfterAnswer).settled();
    return response.body;
  }

  /** The order as the center sees it. */
  async read(id: number): Promise<OrderBody> {
    const response = await this.t.get('supervisor1', `/api/work-orders/${id}`);
    if (response.status !== 200) throw new Error(`read failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Takes an action with the order's current version; returns the raw response. */
  async try(username: string, id: number, action: string, body: Record<string, unknown> = {}): Promise<request.Response> {
    const { version } = await this.read(id);
    return this.t.post(username, `/api/work-orders/${id}/${action}`, { version, ...body });
  }

  /** Takes an action that must succeed; returns the order afterwards. */
  async act(username: string, id: number, action: string, body: Record<string, unknown> = {}): Promise<OrderBody> {
    const response = await this.try(username, id, action, body);
    if (response.status !== 200) {
      throw new Error(`${username} ${action} on ${id} failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  /**
   * Replies as `username` and brings the reply to the center: when the lead unit's 领导审签 holds a handler's reply
   * (unit_review), the unit's admin signs it off. Returns the order afterwards.
   */
  async reply(username: string, id: number, body: Record<string, unknown> = { content: '已处理' }): Promise<OrderBody> {
    const replied = await this.act(username, id, 'reply', body);
    if (replied.status !== 'unit_review' || replied.leadUnitId === null) return replied;
    return this.act(`${this.codeOf(replied.leadUnitId)}_admin`, id, 'unit-approve-reply');
  }

  /** The code of a unit by id. */
  codeOf(unitId: number): string {
    for (const [code, id] of this.unitIds) if (id === unitId) return code;
    throw new Error(`No unit with id ${unitId}`);
  }

  /** Registers and dispatches to a lead unit, accepted or not. */
  async dispatched(leadCode: string, overrides: Record<string, unknown> = {}): Promise<OrderBody> {
    const order = await this.register('agent1', overrides);
    return this.act('dispatcher1', order.id, 'dispatch', { leadUnitId: this.unit(leadCode) });
  }

  async processing(leadCode: string, overrides: Record<string, unknown> = {}): Promise<OrderBody> {
    const order = await this.dispatched(leadCode, overrides);
    return this.act(`${leadCode}_handler`, order.id, 'accept');
  }
}

export interface OrderBody {
  id: number;
  number: string;
  status: string;
  version: number;
  leadUnitId: number | null;
  citizenName: string | null;
  citizenPhone: string | null;
  replyDueAt: string | null;
  acceptDueAt: string | null;
  allowedActions: string[];
  timeline: { action: string; fromStatus: string | null; toStatus: string | null; actorId: number | null; actorRole: string | null; unitId: number | null; reason: string | null; payload: Record<string, unknown> | null; createdAt: string }[];
  children: { id: number; number: string; status: string }[];
  linkedOrders: { id: number }[];
  mergedOrders: { id: number }[];
  [key: string]: unknown;
}
