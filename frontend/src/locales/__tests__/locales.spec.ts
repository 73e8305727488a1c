import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  REQUEST_TYPES,
  ROLES,
  SATISFACTIONS,
  TIMELINE_ACTIONS,
  UNIT_TYPES,
  URGENCIES,
  WORK_ORDER_STATUSES,
} from '@/api/models';
import { loadLocale } from '..';
import type { FeatureMessages } from '../feature';

type Messages = { [key: string]: string | Messages };

/** Every leaf key as a dotted path, e.g. `workOrder.status.closed`. */
function leafKeys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [path] : leafKeys(value, path);
  });
}

function lookup(messages: Messages, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Messages | undefined)?.[key], messages);
}

// The console's messages as vue-i18n gets them: the shared files plus every feature's views/<feature>/locale.ts.
const locales = { 'zh-CN': (await loadLocale('zh-CN')).messages as Messages, en: (await loadLocale('en')).messages as Messages };
/** The feature files as written (both languages), and as each language's bundle imports them. */
const features = import.meta.glob<FeatureMessages>(['../../views/**/locale.ts', '../../layout/locale.ts', '../../telephony/locale.ts'], { eager: true, import: 'default' });
const chineseOnly = import.meta.glob<FeatureMessages>(['../../views/**/locale.ts', '../../layout/locale.ts', '../../telephony/locale.ts'], {
  eager: true,
  import: 'default',
  query: { lang: 'zh-CN' },
});
const srcDir = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__tests__' || name === 'locales' ? [] : sourceFiles(path);
    // A feature's locale.ts holds its messages (checked above through the merged messages).
    return /\.(vue|ts)$/.test(name) && !name.endsWith('.spec.ts') && name !== 'locale.ts' ? [path] : [];
  });
}

describe('locale bundles', () => {
  it('every feature file is merged into each language under its namespace', () => {
    expect(Object.keys(features).length).toBeGreaterThan(10);
    for (const feature of Object.values(features)) {
      expect(locales['zh-CN'][feature.namespace]).toEqual(feature['zh-CN']);
      expect(locales.en[feature.namespace]).toEqual(feature.en);
    }
  });

  it('a feature imported in one language brings no other (the entry carries Chinese only)', () => {
    for (const [path, feature] of Object.entries(chineseOnly)) {
      expect({ path, namespace: feature.namespace, en: feature.en }).toEqual({ path, namespace: feature.namespace, en: undefined });
      expect(feature['zh-CN']).toEqual(features[path]['zh-CN']);
    }
  });
});

describe('locale files', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(leafKeys(locales.en).sort()).toEqual(leafKeys(locales['zh-CN']).sort());
  });

  it.each(Object.entries(locales))('%s has no empty messages', (_, messages) => {
    const empty = leafKeys(messages).filter((key) => (lookup(messages, key) as string).trim() === '');
    expect(empty).toEqual([]);
  });

  it.each([
    ['workOrder.status', WORK_ORDER_STATUSES],
    ['workOrder.requestType', REQUEST_TYPES],
    ['workOrder.urgency', URGENCIES],
    ['workOrder.channel', CHANNELS],
    ['workOrder.action', TIMELINE_ACTIONS],
    ['workOrder.satisfaction', SATISFACTIONS],
    ['role', ROLES],
    ['unitType', UNIT_TYPES],
  ])('labels every code of %s and nothing else', (group, codes) => {
    for (const messages of Object.values(locales)) {
      expect(Object.keys(lookup(messages, group) as Messages).sort()).toEqual([...codes].sort());
    }
  });

  it('every literal key passed to t() in the sources exists', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      // t('a.b') calls, and route titles (`title: 'a.b'`), which the menu and page title translate.
      for (const match of text.matchAll(/\bt\(\s*'([\w.-]+)'|\btitle: '([\w.-]+)'/g)) {
        const key = (match[1] ?? match[2]);
        checked += 1;
        if (typeof lookup(locales['zh-CN'], key) !== 'string') missing.push(`${relative(srcDir, file)}: ${key}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('no source outside the locale files shows Chinese (comments aside)', () => {
    const withoutComments = (text: string) =>
      text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
    const offenders = sourceFiles(srcDir)
      .filter((file) => /[\u3400-\u9fff\uff00-\uffef]/.test(withoutComments(readFileSync(file, 'utf8'))))
      .map((file) => relative(srcDir, file));
    expect(offenders).toEqual([]);
  });
});
