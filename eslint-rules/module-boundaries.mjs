// Local ESLint rule: import boundaries between the backend's feature modules (docs/architecture.md,
// "Lint and module boundaries"). Every top-level folder of backend/src is a module. A file may import
// anything of its own module and of the shared folders; of another feature module only its public
// surface. The shared folders must not import feature modules, except for the allowances below.
import fs from 'node:fs';
import path from 'node:path';

/** Paths (relative to the module's folder) that another module may import. */
const PUBLIC_SURFACE = [
  /^[^/]+\.module\.ts$/, // the Nest module
  /(^|\/)[^/]+\.service\.ts$/, // services, also actions/*.service.ts
  /(^|\/)[^/]+\.entity\.ts$/,
  /^entities\//,
  /(^|\/)[^/]+\.enums\.ts$/,
  /^dto\//,
  /(^|\/)[^/]+\.view\.ts$/,
  /(^|\/)[^/]+\.events\.ts$/, // typed events
];

/** Pure helpers and types each module offers to the others, beside the patterns above. */
const PUBLIC_HELPERS = {
  attachments: ['attachment-types.ts'],
  audit: ['audit-actor.ts'],
  auth: ['auth-user.ts', 'decorators.ts', 'normalise-username.ts'],
  calendar: ['working-calendar.ts', 'local-date.ts', 'day-kind.ts', 'time-zone.ts'],
  cluster: ['cluster-bus.ts', 'invalidated-cache.ts'],
  // The CTI test app and token: the calls report's tests post CTI events as the bridge does.
  cti: ['cti-testing.ts'],
  deadlines: ['deadline-limits.ts', 'deadline-policy.ts'],
  'demo-data': ['demo-organisation.ts'],
  escalation: ['escalation.config.ts', 'escalation-plan.ts'],
  notifications: ['notification-kind.ts'],
  'repeat-detection': ['repeat-detector.ts', 'repeat-candidate.ts'],
  search: ['work-order-search.ts', 'cjk-bigrams.ts'],
  units: ['unit-type.ts'],
  users: ['role.ts', 'password-hasher.ts', 'password-policy.ts'],
  'work-orders': ['timeline-actor.ts'],
};

const SHARED = new Set(['common', 'config', 'database', 'events', 'testing']);

const isTestFile = (rel) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(rel);

/**
 * What a file of a shared folder may import from a feature module (besides nothing):
 * `public` = the public surface, or a list of patterns of the target (relative to backend/src).
 * `typeOnly` = only `import type`.
 */
const SHARED_ALLOWANCES = [
  // The entity list TypeORM is given.
  { from: /^database\/entities\.ts$/, to: [/\.entity\.ts$/, /^[^/]+\/entities\//] },
  // Command-line tools and the test harness are entry points: they assemble the application.
  { from: /^database\/cli\//, to: 'public' },
  { from: /^database\/bench\//, to: 'public' },
  { from: /^testing\//, to: 'public' },
  // Tests beside shared code drive the whole application.
  { from: isTestFile, to: 'public' },
  // Enum files are leaves (constant tuples and their types, no imports): the config schema and the
  // event map may use them.
  { from: /^(config|events)\//, to: [/\.enums\.ts$/] },
  // The typed event map names the payload types of the modules that emit them.
  { from: /^events\//, to: [/\.view\.ts$/], typeOnly: true },
];

/** Files that may import the composition root (backend/src/app.*.ts, main.ts). */
const ENTRY_POINTS = [/^database\/cli\//, /^testing\//, /(^|\/)bench\//, /(^|\/)evaluation\//, isTestFile];

const matches = (tests, rel) => tests.some((t) => (typeof t === 'function' ? t(rel) : t.test(rel)));

function resolveTarget(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts')]) {
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return `${base}.ts`;
}

function isPublic(module, inModule) {
  return matches(PUBLIC_SURFACE, inModule) || (PUBLIC_HELPERS[module] ?? []).includes(inModule);
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Import boundaries between the feature modules of backend/src' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'], additionalProperties: false }],
    messages: {
      internal:
        "'{{target}}' is internal to the {{module}} module: import its public surface (module, services, entities, dto/, enums, views, events{{helpers}}).",
      sharedToFeature:
        "{{folder}}/ is shared and must not import the feature module {{module}} ('{{target}}'); move what it needs into a shared folder.",
      compositionRoot: "Only entry points (database/cli, testing, bench, evaluation, tests) may import the composition root '{{target}}'.",
    },
  },
  create(context) {
    const root = path.resolve(context.cwd, context.options[0].root);
    const file = context.filename;
    const fromRel = path.relative(root, file).split(path.sep).join('/');
    if (fromRel.startsWith('..')) return {};
    const fromParts = fromRel.split('/');
    const fromModule = fromParts.length > 1 ? fromParts[0] : null; // null: the composition root

    function check(node, source, typeOnly) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const targetRel = path.relative(root, resolveTarget(file, source)).split(path.sep).join('/');
      if (targetRel.startsWith('..')) return;
      const parts = targetRel.split('/');
      if (parts.length === 1) {
        if (fromModule !== null && !matches(ENTRY_POINTS, fromRel)) {
          context.report({ node, messageId: 'compositionRoot', data: { target: source } });
        }
        return;
      }
      const toModule = parts[0];
      if (fromModule === null || toModule === fromModule || SHARED.has(toModule)) return;
      const inModule = parts.slice(1).join('/');
      if (SHARED.has(fromModule)) {
        const allowed = SHARED_ALLOWANCES.some(
          (a) =>
            matches([a.from], fromRel) &&
            (!a.typeOnly || typeOnly) &&
            (a.to === 'public' ? isPublic(toModule, inModule) : matches(a.to, targetRel)),
        );
        if (!allowed) {
          context.report({ node, messageId: 'sharedToFeature', data: { folder: fromModule, module: toModule, target: source } });
        }
        return;
      }
      // Benchmarks share their data generators (each module's bench/ folder is an entry point, not part of the module).
      const benchToBench = /(^|\/)bench\//.test(fromRel) && /(^|\/)bench\//.test(inModule);
      if (!benchToBench && !isPublic(toModule, inModule)) {
        const helpers = PUBLIC_HELPERS[toModule];
        context.report({
          node,
          messageId: 'internal',
          data: { target: source, module: toModule, helpers: helpers ? `, ${helpers.join(', ')}` : '' },
        });
      }
    }

    const typeOnlyImport = (node) =>
      node.importKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value, typeOnlyImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node.source, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value, false),
      TSImportType: (node) => {
        const literal = node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument;
        if (literal?.type === 'Literal') check(literal, literal.value, true);
      },
    };
  },
};
