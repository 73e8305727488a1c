// One lint configuration for the whole repository: `npm run lint` (part of `npm test`; any warning fails it).
// What the rules are and why: docs/architecture.md, "Lint and module boundaries".
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import moduleBoundaries from './eslint-rules/module-boundaries.mjs';

const local = { rules: { 'module-boundaries': moduleBoundaries } };

/** Frontend layers: what each folder of frontend/src must not import. */
function forbidLayers(layers, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(@/|(\\.\\./)+)(${layers.join('|')})(/|$)`,
            message: why,
          },
        ],
      },
    ],
  };
}

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/coverage/',
    'backend/data/',
    'test/screenshots/',
    'test/test-results/',
    // Generated from docs/openapi.json by openapi-typescript (npm run api:types -w frontend).
    'frontend/src/api/generated/',
  ]),

  {
    files: ['**/*.{ts,mts,cts,vue}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        // Set for every file, not only .vue: a change of this list reloads the project service (slow).
        extraFileExtensions: ['.vue'],
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // "No `any` at module boundaries": an explicit `any` is an error everywhere.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      // `import { type A }` alone would stay as a side-effect import under verbatimModuleSyntax (the console): `import type { A }`.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },

  // Node.js packages.
  {
    files: ['backend/**/*.ts', 'sip-bridge/**/*.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{js,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },

  // Nest resolves constructor parameters from their emitted types (emitDecoratorMetadata): a class imported
  // with `import type` is erased and Nest cannot inject it. With these two options the rule leaves the
  // imports of decorated files alone.
  {
    files: ['backend/**/*.ts'],
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
  },

  // Import boundaries between the backend's feature modules.
  {
    files: ['backend/src/**/*.ts'],
    plugins: { local },
    rules: { 'local/module-boundaries': ['error', { root: 'backend/src' }] },
  },

  // Generated migrations: the generator writes `import { MigrationInterface, QueryRunner } from 'typeorm'`.
  {
    files: ['backend/src/database/migrations/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },

  // Tests. A response body (supertest) is `any` by its typing and asserting on it is what a test does, so
  // the no-unsafe-* rules are off; an explicit `any` is still an error. `expect(obj.method)` and
  // `jest.spyOn` pass methods unbound on purpose, and stubs of async interfaces are `async () => value`.
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/__tests__/**',
      'backend/src/testing/**',
      'sip-bridge/src/testing/**',
      'frontend/src/testing/**',
      'test/**',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },

  // The console (Vue 3 + TypeScript in <script setup lang="ts">). Layout (formatting) rules are off: the
  // code has no formatter and the lint is about correctness.
  {
    files: ['frontend/**/*.{ts,vue}'],
    extends: [pluginVue.configs['flat/recommended'], pluginVue.configs['no-layout-rules']],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, sourceType: 'module' },
    },
    rules: {
      // Pages are named by their route folder (views/login/index.vue), error pages by their status.
      'vue/multi-word-component-names': ['error', { ignores: ['index', 'App', '403', '404'] }],
    },
  },
  {
    files: ['frontend/src/api/**'],
    rules: forbidLayers(
      ['views', 'components', 'layout', 'composables', 'store', 'router'],
      'api/ is the bottom layer of the console: typed HTTP calls only, no views, components or state.',
    ),
  },
  {
    files: ['frontend/src/{components,composables,utils}/**'],
    rules: forbidLayers(['views', 'layout', 'router'], 'Shared console code must not depend on views, the layout or the router.'),
  },
  {
    files: ['frontend/src/views/**'],
    ignores: ['**/__tests__/**'],
    rules: forbidLayers(
      ['layout', 'realtime', 'testing'],
      'A view may import api/, components/, composables/, store/, locales, utils and route names (router/); move shared pieces to components/.',
    ),
  },
);
