import { Injectable, Logger } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import type { Category } from '../categories/category.entity';
import { CategoriesService } from '../categories/categories.service';
import { Clock } from '../common/clock';
import { WorkAfterAnswer } from '../common/work-after-answer';
import { AgentPhonesService } from '../cti/agent-phones.service';
import { KnowledgeDemoService } from '../knowledge/knowledge-demo.service';
import type { Unit } from '../units/unit.entity';
import { UnitsService } from '../units/units.service';
import { PasswordHasher } from '../users/password-hasher';
import type { User } from '../users/user.entity';
import { UserAccountsService } from '../users/user-accounts.service';
import { UsersService } from '../users/users.service';
import { ListWorkOrdersQueryDto } from '../work-orders/dto/list-work-orders.dto';
import { DispatchActions } from '../work-orders/actions/dispatch-actions.service';
import { ExtensionActions } from '../work-orders/actions/extension-actions.service';
import { HandlingActions } from '../work-orders/actions/handling-actions.service';
import { MergeActions } from '../work-orders/actions/merge-actions.service';
import { ReviewActions } from '../work-orders/actions/review-actions.service';
import type { WorkOrderDetailView } from '../work-orders/work-order.view';
import { WorkOrdersService } from '../work-orders/work-orders.service';
import { WorkOrderListService } from '../work-orders/list/work-order-list.service';
import {
  DEMO_CATEGORIES,
  DEMO_CENTER,
  DEMO_AGENT_PHONES,
  DEMO_CENTER_USERS,
  DEMO_PASSWORD,
  DEMO_UNITS,
  type DemoCategory,
  type DemoUnit,
  unitUsername,
} from './demo-organisation';
import { DEMO_REQUESTS, type DemoRequest } from './demo-requests';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The states the demo orders are driven to, in order; every lifecycle state appears. */
const DEMO_PATHS = [
  'registered', 'resolved-directly', 'dispatched', 'processing', 'reply-review', 'callback-pending', 'closed',
  'return-requested', 'returned-back', 'extension-pending', 'suspended', 'supervised', 'reopened', 'merged',
  'sub-dispatched', 'child-finished', 'linked', 'closed', 'unit-review', 'registered', 'resolved-directly', 'dispatched',
  'processing', 'reply-review', 'callback-pending', 'closed', 'return-requested', 'extension-pending', 'suspended',
  'supervised', 'reopened', 'merged', 'sub-dispatched', 'child-cancelled', 'registered', 'resolved-directly',
  'dispatched', 'processing', 'reply-review', 'callback-pending', 'closed', 'return-requested', 'dispatched',
  'processing', 'reply-review', 'callback-pending', 'invalid', 'resolved-directly', 'processing', 'closed',
] as const;
type DemoPath = (typeof DEMO_PATHS)[number];

/**
 * Fills an empty database with the demo city: units, categories, users (password Demo@12345) and ~50 work
 * orders driven through the real services, so every timeline is what the lifecycle really writes.
 */
@Injectable()
export class DemoDataService {
  private readonly logger = new Logger(DemoDataService.name);
  private readonly actorsByUsername = new Map<string, AuthUser>();
  private unitsByCode = new Map<string, Unit>();
  private categoriesByCode = new Map<string, Category>();
  private cursor = new Date();

  constructor(
    private readonly units: UnitsService,
    private readonly accounts: UserAccountsService,
    private readonly categories: CategoriesService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly workOrders: WorkOrdersService,
    private readonly lists: WorkOrderListService,
    private readonly dispatching: DispatchActions,
    private readonly handling: HandlingActions,
    private readonly review: ReviewActions,
    private readonly extensions: ExtensionActions,
    private readonly merging: MergeActions,
    private readonly clock: Clock,
    private readonly knowledge: KnowledgeDemoService,
    private readonly agentPhones: AgentPhonesService,
    private readonly afterAnswer: WorkAfterAnswer,
  ) {}

  async isEmpty(): Promise<boolean> {
    return this.units.hasNoUnits();
  }

  /** Seeds only an empty database; returns whether it did. */
  async seedIfEmpty(options: { workOrders?: boolean } = {}): Promise<boolean> {
    if (!(await this.isEmpty())) return false;
    await this.seedOrganisation();
    await this.knowledge.seedDemoArticles();
    if (options.workOrders !== false) await this.seedWorkOrders();
    this.logger.log('Demo data created: log in as admin, agent1, dispatcher1, … with the password Demo@12345');
    return true;
  }

  async seedOrganisation(): Promise<void> {
    const center = await this.createUnit(DEMO_CENTER, null);
    for (const unit of DEMO_UNITS) await this.createUnitTree(unit, center.id);
    this.units.invalidate();
    for (const category of DEMO_CATEGORIES) await this.createCategory(category, null, 1, 0);
    const passwordHash = await this.hasher.hash(DEMO_PASSWORD);
    const accounts: Partial<User>[] = DEMO_CENTER_USERS.map((u) => ({ ...u, unitId: center.id, passwordHash }));
    for (const unit of this.unitsByCode.values()) {
      if (unit.type === 'center') continue;
      accounts.push(
        { username: unitUsername(unit.code, 'unit_admin'), displayName: `${unit.name}管理员`, role: 'unit_admin', unitId: unit.id, passwordHash },
        { username: unitUsername(unit.code, 'handler'), displayName: `${unit.name}承办人`, role: 'handler', unitId: unit.id, passwordHash },
      );
    }
    await this.accounts.insertMany(accounts);
    // 分机: the demo agents' softphones register out of the box (extension, the demo password).
    for (const { username, extension } of DEMO_AGENT_PHONES) {
      const agent = await this.accounts.findByUsername(username);
      if (!agent) throw new Error(`Demo agent ${username} is missing`);
      await this.agentPhones.put(SYSTEM_ACTOR, extension, { userId: agent.id, password: DEMO_PASSWORD });
    }
  }

  async seedWorkOrders(): Promise<void> {
    const start = Date.now() - 21 * DAY;
    try {
      for (let i = 0; i < DEMO_PATHS.length; i++) {
        this.cursor = new Date(start + i * 9 * HOUR + (i % 5) * 17 * MINUTE);
        const request = DEMO_REQUESTS[i % DEMO_REQUESTS.length];
        await this.drive(request, DEMO_PATHS[i], i);
      }
    } finally {
      this.clock.set(null);
    }
  }

  private async drive(request: DemoRequest, path: DemoPath, index: number): Promise<void> {
    const agent = await this.actor(index % 2 === 0 ? 'agent1' : 'agent2');
    const dispatcher = await this.actor('dispatcher1');
    const reviewer = await this.actor('reviewer1');
    const callbackAgent = await this.actor('callback1');
    const supervisor = await this.actor('supervisor1');
    const category = this.categoriesByCode.get(request.category);
    if (!category) throw new Error(`Demo request names unknown category ${request.category}`);
    const districtUnitId = this.unit(request.district).id;

    let order = await this.at(0, () =>
      this.workOrders.register(agent, {
        requestType: request.requestType,
        urgency: request.urgency,
        channel: request.channel,
        citizenName: request.citizenName,
        citizenPhone: request.citizenPhone,
        citizenConfidential: request.confidential,
        address: request.address,
        districtUnitId,
        streetUnitId: this.unit(request.street).id,
        categoryId: category.id,
        title: request.title,
        content: request.content,
      }),
    );
    // The repeat detector screens the order after the registration answers (it may mark it, moving its version on).
    await this.afterAnswer.settled();
    order = await this.workOrders.detail(agent, order.id);
    if (path === 'registered') return;
    if (path === 'invalid') {
      await this.at(6 * MINUTE, () => this.dispatching.invalidate(agent, order.id, { version: order.version, reasonCode: 'test_call', reason: '测试来电，无实际诉求' }));
      return;
    }
    if (path === 'resolved-directly') {
      await this.at(8 * MINUTE, () => this.dispatching.resolveDirectly(agent, order.id, { version: order.version, answer: `已按知识库答复来电人：${request.title}的办理渠道和所需材料，来电人表示清楚。` }));
      return;
    }
    if (path === 'merged') {
      const original = (await this.firstOrder(dispatcher, { keyword: request.title, status: 'processing' })) ?? (await this.firstOrder(dispatcher, { status: 'dispatched' }));
      if (original) {
        await this.at(20 * MINUTE, () => this.merging.merge(dispatcher, order.id, { version: order.version, targetId: original.id, note: '同一诉求人重复来电，合并至原工单' }));
      }
      return;
    }
    const subDispatching = path === 'sub-dispatched' || path === 'child-finished' || path === 'child-cancelled';
    // A district signs its handlers' replies off (领导审签): the unit-review order waits there.
    const leadCode = subDispatching || path === 'unit-review' ? request.district : (category.defaultLeadUnitId ? this.codeOf(category.defaultLeadUnitId) : request.district);
    const assistingUnitIds = index % 4 === 0 && !subDispatching ? [this.unit(request.street).id] : [];
    order = await this.at(25 * MINUTE, () =>
      this.dispatching.dispatch(dispatcher, order.id, { version: order.version, leadUnitId: this.unit(leadCode).id, assistingUnitIds, note: '请按时签收办理' }),
    );
    const handler = await this.actor(unitUsername(leadCode, 'handler'));
    if (path === 'dispatched') return;
    if (path === 'return-requested' || path === 'returned-back') {
      order = await this.at(HOUR, () => this.dispatching.requestReturn(handler, order.id, { version: order.version, reasonCode: 'not_our_responsibility', reason: '该事项不属于我单位职责范围，建议改派属地街道办理' }));
      if (path === 'returned-back') {
        await this.at(2 * HOUR, () => this.dispatching.approveReturn(dispatcher, order.id, { version: order.version, note: '同意退单，重新派单' }));
      }
      return;
    }
    order = await this.at(HOUR, () => this.dispatching.accept(handler, order.id, { version: order.version, note: '已签收' }));
    const leader = await this.actor(unitUsername(leadCode, 'unit_admin'));
    order = await this.at(HOUR + 10 * MINUTE, () => this.handling.assign(leader, order.id, { version: order.version, assigneeId: handler.id, note: '请负责办理' }));
    order = await this.at(2 * HOUR, () => this.handling.contact(handler, order.id, { version: order.version, method: 'phone', note: '已电话联系诉求人，约定上门核实' }));
    if (assistingUnitIds.length > 0 && index % 8 === 0) {
      // Half of the assisting units have submitted their part (协办意见); the others show it as missing.
      const assistant = await this.actor(unitUsername(request.street, 'handler'));
      order = await this.at(2 * HOUR + 30 * MINUTE, () => this.handling.assistReply(assistant, order.id, { version: order.version, content: '街道已配合现场核实，情况属实，已向主办单位提供现场照片和周边情况。' }));
    }
    if (path === 'processing') return;
    if (path === 'extension-pending') {
      const requestedDueAt = new Date((order.replyDueAt ?? this.cursor).getTime() + 5 * DAY).toISOString();
      await this.at(3 * HOUR, () => this.extensions.requestExtension(handler, order.id, { version: order.version, requestedDueAt, reason: '需协调多个部门现场勘查，申请延期' }));
      return;
    }
    if (path === 'suspended') {
      await this.at(3 * HOUR, () => this.extensions.suspend(dispatcher, order.id, { version: order.version, reason: '诉求人外出，约定下周回来后再上门处理' }));
      return;
    }
    if (path === 'supervised') {
      order = await this.at(DAY, () => this.extensions.remind(dispatcher, order.id, { version: order.version, message: '请加快办理进度' }));
      const replyDueAt = new Date(this.cursor.getTime() + 2 * DAY + 2 * DAY).toISOString();
      await this.at(2 * DAY, () => this.extensions.supervise(supervisor, order.id, { version: order.version, instruction: '该件群众反映强烈，请主要负责同志督促，两日内办结', replyDueAt }));
      return;
    }
    if (subDispatching) {
      const streetId = this.unit(request.street).id;
      order = await this.at(3 * HOUR, () => this.handling.subDispatch(handler, order.id, { version: order.version, unitId: streetId, instruction: '请属地街道现场核实处理并反馈' }));
      if (path === 'sub-dispatched') return;
      const childId = order.children[order.children.length - 1].id;
      const streetHandler = await this.actor(unitUsername(request.street, 'handler'));
      let child = await this.workOrders.detail(streetHandler, childId);
      if (path === 'child-cancelled') {
        child = await this.at(4 * HOUR, () => this.dispatching.requestReturn(streetHandler, childId, { version: child.version, reasonCode: 'needs_other_unit', reason: '涉及区级审批事项，街道无权处理' }));
        await this.at(5 * HOUR, () => this.dispatching.approveReturn(handler, childId, { version: child.version, note: '同意，由区里直接办理' }));
        return;
      }
      child = await this.at(4 * HOUR, () => this.dispatching.accept(streetHandler, childId, { version: child.version }));
      child = await this.at(DAY, () => this.handling.reply(streetHandler, childId, { version: child.version, content: '街道已组织人员现场处理完毕，并与诉求人沟通确认。' }));
      await this.at(DAY + HOUR, () => this.review.approveReply(handler, childId, { version: child.version, note: '街道处理到位' }));
      order = await this.workOrders.detail(handler, order.id);
    }
    order = await this.at(2 * DAY, () =>
      this.handling.reply(handler, order.id, { version: order.version, content: `经核实，${request.title}问题属实，我单位已安排人员现场处理完毕，并已电话告知诉求人处理结果。` }),
    );
    if (order.status === 'unit_review') {
      if (path === 'unit-review') return;
      order = await this.at(2 * DAY + HOUR, () => this.handling.unitApproveReply(leader, order.id, { version: order.version, note: '同意答复' }));
    }
    if (path === 'reply-review' || path === 'child-finished') return;
    order = await this.at(2 * DAY + 3 * HOUR, () => this.review.approveReply(reviewer, order.id, { version: order.version, note: '答复内容完整' }));
    if (path === 'callback-pending') return;
    if (path === 'reopened') {
      await this.at(3 * DAY, () => this.review.callback(callbackAgent, order.id, { version: order.version, resolved: false, satisfaction: 'dissatisfied', note: '诉求人表示问题仍未解决' }));
      return;
    }
    order = await this.at(3 * DAY, () =>
      this.review.callback(callbackAgent, order.id, { version: order.version, resolved: true, satisfaction: index % 3 === 0 ? 'basically_satisfied' : 'satisfied', note: '诉求人确认已解决' }),
    );
    if (path === 'linked') {
      const other = await this.firstOrder(dispatcher, { status: 'dispatched' });
      if (other) await this.at(3 * DAY + HOUR, () => this.merging.link(dispatcher, order.id, { version: order.version, targetId: other.id, note: '同一区域类似问题' }));
    }
  }

  private async firstOrder(caller: AuthUser, filter: Partial<ListWorkOrdersQueryDto>) {
    const query = Object.assign(new ListWorkOrdersQueryDto(), { page: 1, pageSize: 1 }, filter);
    return (await this.lists.list(caller, query)).items[0] ?? null;
  }

  /** Runs a step at `offset` after the order's registration time, on the demo clock. */
  private async at(offset: number, step: () => Promise<WorkOrderDetailView>): Promise<WorkOrderDetailView> {
    const at = new Date(Math.min(this.cursor.getTime() + offset, Date.now() - MINUTE));
    this.clock.set(at);
    return step();
  }

  private async actor(username: string): Promise<AuthUser> {
    const cached = this.actorsByUsername.get(username);
    if (cached) return cached;
    const user = await this.accounts.findByUsername(username);
    const actor = user ? await this.users.findActiveAuthUser(user.id) : null;
    if (!actor) throw new Error(`Demo user ${username} is missing`);
    this.actorsByUsername.set(username, actor);
    return actor;
  }

  private unit(code: string): Unit {
    const unit = this.unitsByCode.get(code);
    if (!unit) throw new Error(`Demo data names unknown unit ${code}`);
    return unit;
  }

  private codeOf(unitId: number): string {
    for (const unit of this.unitsByCode.values()) if (unit.id === unitId) return unit.code;
    throw new Error(`Unknown unit id ${unitId}`);
  }

  private async createUnitTree(definition: DemoUnit, parentId: number): Promise<void> {
    const unit = await this.createUnit(definition, parentId);
    for (const child of definition.children ?? []) await this.createUnitTree(child, unit.id);
  }

  private async createUnit(definition: DemoUnit, parentId: number | null): Promise<Unit> {
    // 领导审签 is on for bureaus and districts, as the migration sets it.
    const leaderSignOff = definition.type === 'bureau' || definition.type === 'district';
    const unit = await this.units.seedUnit({ code: definition.code, name: definition.name, type: definition.type, parentId, active: true, leaderSignOff });
    this.unitsByCode.set(unit.code, unit);
    return unit;
  }

  private async createCategory(definition: DemoCategory, parentId: number | null, level: number, sortOrder: number): Promise<void> {
    const category = await this.categories.seedCategory({
      code: definition.code,
      name: definition.name,
      level,
      parentId,
      sortOrder,
      defaultLeadUnitId: definition.lead ? this.unit(definition.lead).id : null,
      defaultRequestType: definition.type ?? null,
      active: true,
    });
    this.categoriesByCode.set(category.code, category);
    let i = 0;
    for (const child of definition.children ?? []) await this.createCategory(child, category.id, level + 1, i++);
  }
}
