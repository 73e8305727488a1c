import type { TimelineEvent, WorkOrder, WorkOrderDetail } from '@/api/types';

export function workOrder(overrides: Partial<WorkOrder> = {}): WorkOrder {
  return {
    id: 42,
    number: '20250612-0007',
    parentId: null,
    mergedIntoId: null,
    requestType: 'complaint',
    urgency: 'urgent',
    channel: 'phone',
    status: 'processing',
    citizenName: '陈**',
    citizenPhone: '138****5678',
    citizenConfidential: false,
    address: '东城区和平里东街 11 号',
    districtUnitId: 2,
    streetUnitId: 5,
    latitude: null,
    longitude: null,
    categoryId: 301,
    category: { id: 301, name: '路灯', path: '城乡建设 › 市政设施 › 路灯' },
    title: '小区门口路灯不亮',
    content: '和平里东街 11 号门口路灯已坏一周。',
    leadUnitId: 5,
    leadUnit: { id: 5, code: 'D01-S02', name: '和平里街道办事处' },
    assistingUnits: [
      { id: 7, code: 'B-LIGHT', name: '市城市照明管理中心', dueAt: '2099-06-18T09:00:00.000Z', reply: null, repliedAt: null, lateMinutes: null, overdue: false },
    ],
    assigneeId: null,
    assignee: null,
    dispatchDueAt: '2025-06-13T02:00:00.000Z',
    acceptDueAt: '2025-06-12T04:00:00.000Z',
    contactDueAt: '2025-06-13T02:10:00.000Z',
    replyDueAt: '2099-06-19T09:00:00.000Z',
    returnDeadlineAt: '2025-06-16T02:10:00.000Z',
    warningLevel: 'none',
    escalationStage: 0,
    acceptLateMinutes: null,
    contactLateMinutes: null,
    replyLateMinutes: null,
    dispatchedAt: '2025-06-12T02:10:00.000Z',
    acceptedAt: '2025-06-12T02:40:00.000Z',
    firstContactAt: null,
    repliedAt: null,
    closedAt: null,
    reply: null,
    satisfaction: null,
    resolved: null,
    returnCount: 0,
    reopenCount: 0,
    supervised: false,
    extensionRequestedDueAt: null,
    version: 3,
    createdAt: '2025-06-12T02:00:00.000Z',
    updatedAt: '2025-06-12T02:40:00.000Z',
    attachments: [],
    ...overrides,
  };
}

export function timelineEvent(overrides: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    id: 1,
    action: 'register',
    fromStatus: null,
    toStatus: 'registered',
    actorId: 11,
    actorName: '王芳',
    actorRole: 'agent',
    unitId: 1,
    unitName: '市民热线服务中心',
    reason: null,
    payload: null,
    createdAt: '2025-06-12T02:00:00.000Z',
    ...overrides,
  };
}

export function workOrderDetail(overrides: Partial<WorkOrderDetail> = {}): WorkOrderDetail {
  return { ...workOrder(), deadlines: [], timeline: [timelineEvent()], allowedActions: [], ...overrides };
}
