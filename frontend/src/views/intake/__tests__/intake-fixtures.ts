import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { h } from 'vue';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import type { CategoryTreeNode, CurrentUser, Role, UnitTreeNode, RegisteredWorkOrder } from '@/api/models';
import { vPerms } from '@/directives/perms';
import { createAppI18n } from '@/locales';
import { INTAKE } from '@/router/modules/intake';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { useUserStore } from '@/store/modules/user';
import { StubPage } from '@/testing/mount-view';
import { workOrderDetail } from '@/views/work-orders/__tests__/fixtures';
import IntakeView from '../index.vue';

const category = (node: Partial<CategoryTreeNode> & Pick<CategoryTreeNode, 'id' | 'code' | 'name' | 'level'>): CategoryTreeNode => ({
  path: node.name,
  defaultLeadUnitId: null,
  defaultRequestType: null,
  active: true,
  children: [],
  ...node,
});

/** 城乡建设 › 市政设施 › 路灯 (lead unit 21, report), an inactive leaf, a branch without leaves; 公安 › 户政 › 居住证 (consultation). */
export const categoryTree: CategoryTreeNode[] = [
  category({
    id: 1,
    code: 'C01',
    name: '城乡建设',
    level: 1,
    children: [
      category({
        id: 11,
        code: 'C0101',
        name: '市政设施',
        level: 2,
        children: [
          category({ id: 101, code: 'C010101', name: '路灯', level: 3, defaultLeadUnitId: 21, defaultRequestType: 'report' }),
          category({ id: 102, code: 'C010102', name: '道路破损', level: 3, active: false, defaultLeadUnitId: 21, defaultRequestType: 'report' }),
        ],
      }),
      category({ id: 12, code: 'C0102', name: '房屋管理', level: 2, children: [] }),
    ],
  }),
  category({
    id: 8,
    code: 'C08',
    name: '公安',
    level: 1,
    children: [
      category({
        id: 81,
        code: 'C0801',
        name: '户政管理',
        level: 2,
        children: [category({ id: 801, code: 'C080101', name: '居住证办理', level: 3, defaultLeadUnitId: 22, defaultRequestType: 'consultation' })],
      }),
    ],
  }),
];

const unit = (node: Partial<UnitTreeNode> & Pick<UnitTreeNode, 'id' | 'code' | 'name' | 'type'>): UnitTreeNode => ({
  parentId: null,
  active: true,
  leaderSignOff: false,
  children: [],
  ...node,
});

export const unitTree: UnitTreeNode[] = [
  unit({
    id: 1,
    code: 'center',
    name: '热线中心',
    type: 'center',
    children: [
      unit({ id: 21, code: 'cgj', name: '城管局', type: 'bureau', parentId: 1 }),
      unit({ id: 22, code: 'gaj', name: '公安局', type: 'bureau', parentId: 1 }),
      unit({
        id: 31,
        code: 'dc',
        name: '东城区',
        type: 'district',
        parentId: 1,
        children: [
          unit({ id: 41, code: 'dc_cy', name: '朝阳街道', type: 'street', parentId: 31 }),
          unit({ id: 42, code: 'dc_dg', name: '东关街道', type: 'street', parentId: 31 }),
        ],
      }),
      unit({
        id: 32,
        code: 'xc',
        name: '西城区',
        type: 'district',
        parentId: 1,
        children: [
          unit({ id: 43, code: 'xc_xh', name: '西湖街道', type: 'street', parentId: 32 }),
          unit({ id: 44, code: 'xc_old', name: '撤并街道', type: 'street', parentId: 32, active: false }),
        ],
      }),
    ],
  }),
];

export function user(role: Role = 'agent', id = 7): CurrentUser {
  return {
    id,
    username: `${role}${id}`,
    displayName: '话务员张敏',
    role,
    unitId: 1,
    unit: { id: 1, code: 'center', name: '热线中心', type: 'center' },
    active: true,
    mustChangePassword: false,
  };
}

/** The order the backend answers a registration with: registered, dispatch and 直办 allowed. */
export function registeredOrder(overrides: Partial<RegisteredWorkOrder> = {}): RegisteredWorkOrder {
  return {
    similarOrders: [],
    ...workOrderDetail({
    id: 77,
    number: '20261202000017',
    status: 'registered',
    requestType: 'report',
    leadUnitId: null,
    leadUnit: null,
    assistingUnits: [],
    version: 1,
    allowedActions: ['resolve-directly', 'invalidate', 'dispatch'],
    title: '朝阳路路灯不亮',
    ...overrides,
    }),
  };
}

/** Mounts /intake as the app runs it, signed in as `role` (the user is known before the page starts, as after login). */
export async function mountIntake(options: { role?: Role; userId?: number; locale?: 'zh-CN' | 'en' } = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useUserStore(pinia).setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: user(options.role, options.userId) });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/intake', name: INTAKE, component: IntakeView },
      { path: '/work-orders', name: WORK_ORDER_LIST, component: StubPage },
      { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
    ],
  });
  await router.push('/intake');
  await router.isReady();
  const wrapper = mount(
    { render: () => h(RouterView) },
    {
      attachTo: document.body,
      global: { plugins: [pinia, createAppI18n(options.locale ?? 'zh-CN'), ElementPlus, router], directives: { perms: vPerms } },
    },
  );
  await flushPromises();
  return { wrapper, router, pinia };
}

export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
