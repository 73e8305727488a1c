// Element Plus components and their CSS are imported on demand by the build (vite.config.ts); the services called
// from code (ElMessage, ElMessageBox, ElNotification, ElLoading) need their styles here.
import 'element-plus/theme-chalk/base.css';
import 'element-plus/theme-chalk/el-message.css';
import 'element-plus/theme-chalk/el-message-box.css';
import 'element-plus/theme-chalk/el-notification.css';
import 'element-plus/theme-chalk/el-loading.css';
import { createApp } from 'vue';
import App from './App.vue';
import { http } from './api/http';
import { createAppI18n, DEFAULT_LOCALE, loadLocale, storedLocale } from './locales';
import { vPerms } from './directives/perms';
import { createAppRouter } from './router';
import { createPasswordChangeRequiredHandler, LOGIN } from './router/guard';
import { pinia } from './store';
import { useUserStore } from './store/modules/user';
import './styles/index.css';

const locale = storedLocale();
document.documentElement.lang = locale;
const userStore = useUserStore(pinia);
const router = createAppRouter(() => userStore);

http.setAuthHooks({
  getAccessToken: () => userStore.accessToken,
  getRefreshToken: () => userStore.refreshToken,
  onRefreshed: (session) => userStore.setSession(session),
  onSessionExpired: () => {
    userStore.logout();
    const current = router.currentRoute.value;
    if (!current.meta.public) void router.replace({ name: LOGIN, query: { redirect: current.fullPath } });
  },
  onPasswordChangeRequired: createPasswordChangeRequiredHandler(router, () => userStore),
});

function mount(): void {
  createApp(App).use(pinia).use(createAppI18n(locale)).use(router).directive('perms', vPerms).mount('#app');
}

// Chinese is in the entry; another language's chunk is fetched first (if it fails, the console opens in Chinese).
if (locale === DEFAULT_LOCALE) mount();
else void loadLocale(locale).catch(() => undefined).finally(mount);
