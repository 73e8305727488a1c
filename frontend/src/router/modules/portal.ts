import type { RouteRecordRaw } from 'vue-router';

/** The citizen portal: public top-level pages (`meta.public`), outside the console's layout, in a light layout of its own. */
const portalRoutes: RouteRecordRaw[] = [
  {
    path: '/portal',
    component: () => import('@/views/portal/PortalLayout.vue'),
    redirect: { name: 'portal-submit' },
    meta: { title: 'portal.title', public: true },
    children: [
      {
        path: 'submit',
        name: 'portal-submit',
        component: () => import('@/views/portal/submit/index.vue'),
        meta: { title: 'portal.submitTab', public: true },
      },
      {
        path: 'submitted/:number',
        name: 'portal-submitted',
        component: () => import('@/views/portal/submit/SubmitSuccess.vue'),
        meta: { title: 'portal.success.title', public: true },
      },
      {
        path: 'track',
        name: 'portal-track',
        component: () => import('@/views/portal/track/index.vue'),
        meta: { title: 'portal.trackTab', public: true },
      },
    ],
  },
];

export default portalRoutes;
