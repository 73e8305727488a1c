import { parseAst, type Plugin } from 'vite';

/** `views/<feature>/locale.ts?lang=en`: the feature's messages in one language (see src/locales/index.ts). */
const LANGUAGE_QUERY = /[?&]lang=([\w-]+)(?:&|$)/;
const CALLEE = 'defineFeatureMessages';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

/** Every `defineFeatureMessages(namespace, { … })` call in the module, depth first. */
function featureCalls(node: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const child of node) featureCalls(child, found);
  } else if (isNode(node)) {
    const callee = node.callee;
    if (node.type === 'CallExpression' && isNode(callee) && callee.type === 'Identifier' && callee.name === CALLEE) found.push(node);
    for (const [key, child] of Object.entries(node)) if (key !== 'type') featureCalls(child, found);
  }
  return found;
}

function propertyName(property: Node): string | null {
  const key = property.key;
  if (!isNode(key)) return null;
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return null;
}

/**
 * Feature messages in one language: imported as `locale.ts?lang=zh-CN`, a feature's locale file keeps the messages
 * of that language and has `undefined` for the others. The entry then carries the Chinese texts only and the English
 * ones come in a chunk of their own when a user switches (src/locales). The files themselves stay as they are: one
 * `defineFeatureMessages` call holding both languages, type-checked against each other.
 */
export function featureLocales(): Plugin {
  return {
    name: 'jiesu-feature-locales',
    // After TypeScript has been stripped: the parser below reads JavaScript.
    enforce: 'post',
    transform(code, id) {
      const language = LANGUAGE_QUERY.exec(id)?.[1];
      if (!language || !/\/locale\.ts\?/.test(id)) return null;
      const calls = featureCalls(parseAst(code));
      if (calls.length !== 1) this.error(`${id}: expected one ${CALLEE}(namespace, messages) call, found ${calls.length}`);
      const messages = (calls[0].arguments as unknown[])[1];
      if (!isNode(messages) || messages.type !== 'ObjectExpression') this.error(`${id}: the messages of ${CALLEE} must be an object literal`);
      const others = (messages.properties as Node[]).filter((property) => property.type === 'Property' && propertyName(property) !== language);
      let result = code;
      // From the end, so that earlier offsets stay valid.
      for (const property of others.sort((a, b) => b.start - a.start)) {
        const value = property.value as Node;
        result = `${result.slice(0, value.start)}void 0${result.slice(value.end)}`;
      }
      return { code: result, map: null };
    },
  };
}
