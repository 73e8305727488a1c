import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { h, type Component } from 'vue';
import { createMemoryHistory, createRouter, RouterView, type RouteRecordRaw } from 'vue-router';
import { vPerms } from '@/directives/perms';
import { createAppI18n, type AppLocale } from '@/locales';

export const StubPage: Component = { render: () => null };

/**
 * Mounts a page the way the app runs it (Pinia, i18n, Element Plus, a router at `path`),
 * rendered by a <router-view> so that route updates reach it.
 */
export async function mountView(options: { routes: RouteRecordRaw[]; path: string; locale?: AppLocale }) {
  const router = createRouter({ history: createMemoryHistory(), routes: options.routes });
  await router.push(options.path);
  await router.isReady();
  const wrapper = mount(
    { render: () => h(RouterView) },
    {
      attachTo: document.body,
      global: { plugins: [createPinia(), createAppI18n(options.locale ?? 'zh-CN'), ElementPlus, router], directives: { perms: vPerms } },
    },
  );
  return { wrapper, router };
}
