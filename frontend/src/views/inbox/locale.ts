import { defineFeatureMessages } from '@/locales/feature';

/** 我的待办: the units' inbox. */
export default defineFeatureMessages('inbox', {
  'zh-CN': {
    menuTitle: '我的待办',
    title: '我的待办',
    tab: {
      toAccept: '待签收',
      processing: '办理中',
      subDispatched: '下派中',
      unitReview: '待审核',
      returned: '退回中',
      overdue: '逾期',
    },
    empty: {
      toAccept: '没有待签收的工单',
      processing: '没有办理中的工单',
      subDispatched: '没有下派中的工单',
      unitReview: '没有待审核的答复',
      returned: '没有退回中的工单',
      overdue: '没有逾期的工单',
    },
    noUnit: '您的账号未分配单位，无法查看待办',
    column: {
      due: '期限',
      actions: '操作',
    },
    acceptDue: '签收期限 {time}',
    replyDue: '答复期限 {time}',
    total: '共 {count} 条',
    loadMore: '加载更多',
    open: '查看',
  },
  en: {
    menuTitle: 'My inbox',
    title: 'My inbox',
    tab: {
      toAccept: 'To accept',
      processing: 'In progress',
      subDispatched: 'Sub-dispatched',
      unitReview: 'To sign off',
      returned: 'Returned',
      overdue: 'Overdue',
    },
    empty: {
      toAccept: 'Nothing to accept',
      processing: 'Nothing in progress',
      subDispatched: 'No sub-dispatched orders',
      unitReview: 'No replies to sign off',
      returned: 'No returned orders',
      overdue: 'Nothing overdue',
    },
    noUnit: 'Your account has no unit, so there is no inbox',
    column: {
      due: 'Due',
      actions: 'Actions',
    },
    acceptDue: 'Accept by {time}',
    replyDue: 'Reply by {time}',
    total: '{count} in total',
    loadMore: 'Load more',
    open: 'Open',
  },
});
