import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@/api/models';

export interface MenuItem {
  path: string;
  title: string;
  icon?: Component;
}

/** The side menu: console pages not hidden from it and open to the role. */
export function buildMenu(routes: readonly RouteRecordRaw[], role: Role | undefined): MenuItem[] {
  return routes
    .filter((route) => route.meta?.title && !route.meta.hideInMenu)
    .filter((route) => !route.meta?.roles || (role !== undefined && route.meta.roles.includes(role)))
    .map((route) => ({ path: route.path, title: route.meta!.title!, icon: route.meta?.icon }));
}
