import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vitest/config';
import { featureLocales } from './build/feature-locales.ts';
import { precompress } from './build/precompress.ts';

const backend = 'http://localhost:3000';

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: each <el-…> tag (and v-loading, ElMessage…) imports its component and its CSS, so a page
    // loads only what it uses. The types of the tags come from element-plus/global (tsconfig), hence no .d.ts here.
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
    // `views/<feature>/locale.ts?lang=…`: a feature's messages in one language (src/locales/index.ts).
    featureLocales(),
    // Every asset also as .gz and .br beside it: the backend serves them to browsers that accept them.
    precompress(),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n feature flags: Composition API only (no <i18n-t>, v-t or $t), no devtools hook in production.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    // Vue's. The Options API stays: without it (~2 KB gzip less) Element Plus's tree select finds no node when
    // searched (test/browser/supervisor-admin.e2e-spec.ts, the user dialog's unit).
    __VUE_OPTIONS_API__: true,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  build: {
    // The backend serves frontend/dist at `/`.
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Routes are loaded lazily (router/modules): each page's chunk holds its views and the Element Plus parts only it
    // uses; shared parts land in common chunks. `npm run bench:console` measures what each workspace loads.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/socket.io': { target: backend, changeOrigin: true, ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
    // English is a lazy chunk in the app; tests create their i18n synchronously in either language.
    setupFiles: ['src/locales/testing-setup.ts', 'src/testing/no-network.ts'],
    // Mounting a page with Element Plus takes seconds on a loaded 2-core CI machine.
    testTimeout: 30_000,
    server: {
      deps: {
        // Run Element Plus through Vite as the browser build does; loaded by Node directly, its
        // default import of the CommonJS async-validator is not a constructor and form rules never fail.
        inline: ['element-plus'],
      },
    },
    unstubGlobals: true,
    // Two test files at a time, also on a 2-core machine (vitest's own default there is one); most of a file's time is
    // importing the pages and Element Plus, and jsdom. --maxWorkers overrides it.
    maxWorkers: 2,
  },
});
