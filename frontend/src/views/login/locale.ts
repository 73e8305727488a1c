import { defineFeatureMessages } from '@/locales/feature';

/**
 * Texts of the console's shell: the layout around every workspace (menu drawer, condensed header) and the login
 * page. They live here because feature messages are collected from views/**\/locale.ts.
 */
export default defineFeatureMessages('shell', {
  'zh-CN': {
    openMenu: '打开菜单',
    menu: '菜单',
    userMenu: '用户菜单',
    skipToContent: '跳到主要内容',
  },
  en: {
    openMenu: 'Open the menu',
    menu: 'Menu',
    userMenu: 'User menu',
    skipToContent: 'Skip to main content',
  },
});
