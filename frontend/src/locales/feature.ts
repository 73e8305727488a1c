/**
 * A feature's own messages, kept beside its views (`views/<feature>/locale.ts`) and merged into the console's
 * messages under `namespace` (see locales/index.ts). Both languages must have the same keys: the English object
 * is typed by the Chinese one, so a missing or extra key is a type error.
 */
export type FeatureMessageTree = { [key: string]: string | FeatureMessageTree };

/** Same keys as T, every leaf a string (a translation need not repeat the Chinese literal types). */
export type SameKeys<T> = { [K in keyof T]: T[K] extends string ? string : SameKeys<T[K]> };

export interface FeatureMessages<T extends FeatureMessageTree = FeatureMessageTree> {
  namespace: string;
  'zh-CN': T;
  en: SameKeys<T>;
}

export function defineFeatureMessages<const T extends FeatureMessageTree>(
  namespace: string,
  messages: { 'zh-CN': T; en: SameKeys<T> },
): FeatureMessages<T> {
  return { namespace, ...messages };
}

/**
 * A language's shared messages with every feature's merged under its namespace. A feature imported in one language
 * only (`locale.ts?lang=…`, see build/feature-locales.ts) has its other languages `undefined`.
 */
export function withFeatures<M extends object>(locale: 'zh-CN' | 'en', base: M, features: readonly FeatureMessages[]): M {
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const feature of features) {
    if (feature.namespace in merged) throw new Error(`Locale namespace "${feature.namespace}" is used twice`);
    merged[feature.namespace] = feature[locale];
  }
  return merged as M;
}
