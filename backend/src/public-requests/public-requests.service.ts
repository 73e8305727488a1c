import { BadRequestException, Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { extname } from 'node:path';
import { AttachmentsService, type UploadedFile } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import { CATEGORY_LEAF_LEVEL, CategoriesService, type CategoryTreeNode } from '../categories/categories.service';
import { UnprocessableException } from '../common/exceptions';
import { UnitsService } from '../units/units.service';
import type { UnitTreeNode } from '../units/units.service';
import type { RegisterWorkOrderDto } from '../work-orders/dto/register-work-order.dto';
import { REQUEST_TYPES } from '../work-orders/work-order.enums';
import { WorkOrdersService } from '../work-orders/work-orders.service';
import { CaptchaService, type CaptchaChallenge } from './captcha/captcha.service';
import { canonicalPhone, type SubmitPublicRequestDto } from './dto/submit-public-request.dto';
import { PortalAccount } from './portal-account';
import { PUBLIC_LIMITS, PublicRateLimiter } from './public-rate-limits';
import {
  maskPhone,
  type PublicCategoryView,
  type PublicDistrictView,
  type PublicFormOptionsView,
  type PublicRequestView,
  type SubmittedRequestView,
} from './public-request.view';
import { PublicRequestsRepository } from './public-requests.repository';
import { publicStatus, publicTimeline, replyIsPublic } from './public-timeline';

export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** The photo types the portal takes, by MIME type, with the extension the attachments' content check expects. */
const PHOTO_TYPES: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp' };
const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

/** Names of the catch-all leaf a request without a category is filed under, for the center to classify. */
export const CATCH_ALL_CATEGORY_NAMES = ['其他', '其它', '未分类', '其他事项'];

/** Work-order numbers: the date and a 5- or 6-digit daily sequence. Anything else cannot be one (and answers 404). */
const NUMBER_PATTERN = /^\d{13,14}$/;
const TITLE_LENGTH = 30;
/** Center staff see the whole unit tree; the districts are picked from it (no account is needed to read it). */
const WHOLE_TREE: AuthUser = { id: 0, username: '', displayName: '', role: 'agent', unitId: 0, unitName: '' };

/** 市民门户: citizens submit requests (registered as channel `web`) and follow them by number and phone, without an account. */
@Injectable()
export class PublicRequestsService {
  constructor(
    private readonly repository: PublicRequestsRepository,
    private readonly portal: PortalAccount,
    private readonly captcha: CaptchaService,
    private readonly limiter: PublicRateLimiter,
    private readonly workOrders: WorkOrdersService,
    private readonly attachments: AttachmentsService,
    private readonly categories: CategoriesService,
    private readonly units: UnitsService,
  ) {}

  async captchaFor(ip: string): Promise<CaptchaChallenge> {
    await this.limiter.hit(PUBLIC_LIMITS.captchaPerIp, ip);
    return this.captcha.challenge();
  }

  async formOptions(): Promise<PublicFormOptionsView> {
    const tree = await this.categories.tree();
    return {
      requestTypes: [...REQUEST_TYPES],
      categories: publicCategories(tree),
      categoryRequired: catchAllLeaf(tree) === null,
      districts: publicDistricts(await this.units.visibleTree(WHOLE_TREE)),
      maxPhotos: MAX_PHOTOS,
      maxPhotoBytes: MAX_PHOTO_BYTES,
      photoTypes: Object.keys(PHOTO_TYPES),
    };
  }

  /**
   * Counts the submission against the address and the phone number, checks the captcha (which uses it up), then
   * registers the request through the work-order registration as the portal's account, on channel `web`: deadlines,
   * search and the timeline apply as to any other order.
   */
  async submit(ip: string, dto: SubmitPublicRequestDto, photos: UploadedFile[]): Promise<SubmittedRequestView> {
    const phone = canonicalPhone(dto.citizenPhone);
    await this.limiter.hit(PUBLIC_LIMITS.submitPerIp, ip);
    await this.limiter.hit(PUBLIC_LIMITS.submitPerPhone, phone);
    await this.captcha.verify(dto.captchaToken, dto.captchaAnswer);
    if (photos.length > MAX_PHOTOS) throw new BadRequestException(`At most ${MAX_PHOTOS} photos can be sent with a request`);
    const categoryId = dto.categoryId ?? (await this.catchAllCategoryId());
    // The category is checked before the photos are stored, so that a refused request leaves no files behind.
    await this.categories.requireActiveLeaf(categoryId);
    const caller = await this.portal.caller();
    const attachmentIds: string[] = [];
    for (const photo of photos) attachmentIds.push((await this.attachments.upload(caller, asPhoto(photo))).id);
    const registration: RegisterWorkOrderDto = {
      channel: 'web',
      requestType: dto.requestType,
      categoryId,
      title: dto.title?.trim() || titleFrom(dto.content),
      content: dto.content.trim(),
      address: dto.address.trim(),
      districtUnitId: dto.districtUnitId,
      streetUnitId: dto.streetUnitId,
      citizenName: dto.citizenName,
      citizenPhone: phone,
      citizenConfidential: dto.citizenConfidential ?? false,
      attachmentIds: attachmentIds.length > 0 ? attachmentIds : undefined,
    };
    const order = await this.workOrders.register(caller, registration);
    return {
      number: order.number,
      phoneHint: maskPhone(phone),
      trackingHint: `Keep the number ${order.number}. Follow the request on the portal's progress page (进度查询) or at GET /api/public/requests/${order.number}?phone=<the phone number given>`,
      createdAt: order.createdAt,
    };
  }

  /**
   * The request as its citizen may see it. The same 404 for an unknown number, a wrong phone, an order registered
   * without a phone and a child order (a unit-internal step): the answer tells nothing about which it was.
   */
  async track(ip: string, number: string, phone: string | undefined): Promise<PublicRequestView> {
    await this.limiter.hit(PUBLIC_LIMITS.trackPerIp, ip);
    const notFound = new NotFoundException('No request has this number and phone number: check both');
    if (!NUMBER_PATTERN.test(number) || !phone) throw notFound;
    await this.limiter.hit(PUBLIC_LIMITS.trackPerNumber, number);
    const order = await this.repository.findByNumber(number);
    if (!order || order.parentId !== null || !order.citizenPhone || canonicalPhone(order.citizenPhone) !== canonicalPhone(phone)) throw notFound;
    const events = await this.repository.timeline(order.id);
    const departments = await this.departmentNames(events.map((e) => (e.action === 'dispatch' ? (e.payload as { leadUnitId?: unknown } | null)?.leadUnitId : null)));
    const timeline = publicTimeline(events, (unitId) => departments.get(unitId) ?? null);
    const handlingStarted = events.some((e) => e.action === 'dispatch' || e.action === 'reopen');
    const showReply = replyIsPublic(order.status) && order.reply !== null;
    const repliedStep = [...timeline].reverse().find((entry) => entry.step === 'replied');
    return {
      number: order.number,
      status: publicStatus(order.status, handlingStarted),
      requestType: order.requestType,
      category: (await this.categories.pathsOf([order.categoryId])).get(order.categoryId) ?? '',
      title: order.title,
      address: order.address,
      createdAt: order.createdAt,
      reply: showReply ? order.reply : null,
      repliedAt: showReply ? (repliedStep?.at ?? order.repliedAt) : null,
      closedAt: order.status === 'closed' || order.status === 'invalid' ? order.closedAt : null,
      timeline,
    };
  }

  /** The top-level department of each lead unit: the unit right below the center on its path (or the unit itself). */
  private async departmentNames(unitIds: unknown[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    for (const unitId of new Set(unitIds)) {
      if (typeof unitId !== 'number') continue;
      const ancestors = await this.units.ancestorIds(unitId);
      // Nearest first: the last is the root (the center), the one before it the top-level department.
      const topId = ancestors.length >= 2 ? ancestors[ancestors.length - 2] : unitId;
      const top = await this.units.find(topId);
      if (top && top.type !== 'center') names.set(unitId, top.name);
    }
    return names;
  }

  private async catchAllCategoryId(): Promise<number> {
    const leaf = catchAllLeaf(await this.categories.tree());
    if (!leaf) throw new UnprocessableException('Choose a category: categoryId is required', { field: 'categoryId' });
    return leaf.id;
  }
}

/** A photo with an extension the attachments' content check knows; 415 for anything but JPEG, PNG and WebP. */
function asPhoto(file: UploadedFile): UploadedFile {
  const extension = extname(file.originalname).toLowerCase();
  if (PHOTO_EXTENSIONS.has(extension)) return file;
  const byType = PHOTO_TYPES[file.mimetype];
  if (!byType) throw new UnsupportedMediaTypeException(`${file.originalname} is not a photo: send JPEG, PNG or WebP images`);
  // Phones name camera pictures "image" or "blob": the type they were sent with decides, and the content is checked.
  return { ...file, originalname: `${file.originalname || 'photo'}${byType}` };
}

/** The first words of the content, on one line: the title of a request sent without one. */
export function titleFrom(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length <= TITLE_LENGTH ? line : `${line.slice(0, TITLE_LENGTH)}…`;
}

/** Active categories that lead to at least one active leaf; only ids and names. */
export function publicCategories(tree: CategoryTreeNode[]): PublicCategoryView[] {
  const prune = (node: CategoryTreeNode): PublicCategoryView | null => {
    if (!node.active) return null;
    if (node.level === CATEGORY_LEAF_LEVEL) return { id: node.id, name: node.name, children: [] };
    const children = node.children.map(prune).filter((c): c is PublicCategoryView => c !== null);
    return children.length > 0 ? { id: node.id, name: node.name, children } : null;
  };
  return tree.map(prune).filter((c): c is PublicCategoryView => c !== null);
}

/** The active leaf named 其他 (or 其它, 未分类…) under active parents, if the center has one. */
export function catchAllLeaf(tree: CategoryTreeNode[]): CategoryTreeNode | null {
  const visit = (node: CategoryTreeNode): CategoryTreeNode | null => {
    if (!node.active) return null;
    if (node.level === CATEGORY_LEAF_LEVEL) return CATCH_ALL_CATEGORY_NAMES.includes(node.name.trim()) ? node : null;
    for (const child of node.children) {
      const found = visit(child);
      if (found) return found;
    }
    return null;
  };
  for (const root of tree) {
    const found = visit(root);
    if (found) return found;
  }
  return null;
}

/** Active districts and their active street offices, wherever they hang in the tree. */
export function publicDistricts(tree: UnitTreeNode[]): PublicDistrictView[] {
  const districts: PublicDistrictView[] = [];
  const visit = (node: UnitTreeNode) => {
    if (!node.active) return;
    if (node.type === 'district') {
      districts.push({ id: node.id, name: node.name, streets: node.children.filter((c) => c.active && c.type === 'street').map((c) => ({ id: c.id, name: c.name })) });
      return;
    }
    node.children.forEach(visit);
  };
  tree.forEach(visit);
  return districts;
}
