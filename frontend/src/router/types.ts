import type { Component } from 'vue';
import type { Role } from '@/api/models';

declare module 'vue-router' {
  interface RouteMeta {
    /** Locale key of the page title (also the menu label). */
    title?: string;
    /** Roles allowed on the page; absent means every signed-in user. */
    roles?: readonly Role[];
    /** Reachable without signing in. */
    public?: boolean;
    icon?: Component;
    hideInMenu?: boolean;
    /** The menu entry to highlight when this page is not in the menu itself. */
    activeMenu?: string;
  }
}

export {};
