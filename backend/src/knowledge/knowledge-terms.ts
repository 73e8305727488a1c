import { bigramsOf, normalizeForSearch, querySegments, segmentsOf, type SearchSegment } from '../search/cjk-bigrams';

/** Longest term stored (knowledge_terms.term is varchar(32)); longer words are cut, in the index and in queries alike. */
export const MAX_TERM_LENGTH = 32;

/** How often a term occurs in an article's title (with its tags) and in its body. */
export interface TermCounts {
  titleCount: number;
  bodyCount: number;
}

/**
 * One condition of a query; every condition must hold (AND). `exact`: the article has this term (a bigram);
 * `prefix`: it has a term starting with it (one CJK character — it stands alone only at the end of a run, and
 * starts a bigram everywhere else — or a word, so 1234 finds 12345).
 */
export interface TermCondition {
  kind: 'exact' | 'prefix';
  term: string;
}

function cut(word: string): string {
  const chars = [...word];
  return chars.length > MAX_TERM_LENGTH ? chars.slice(0, MAX_TERM_LENGTH).join('') : word;
}

function termsOf(text: string): string[] {
  return segmentsOf(text).flatMap((s) => (s.kind === 'cjk' ? bigramsOf(s.text) : [cut(s.text)]));
}

/** The index rows of an article: its title and tags count as the title, its body as the body. */
export function articleTerms(article: { title: string; tags: readonly string[]; body: string }): Map<string, TermCounts> {
  const counts = new Map<string, TermCounts>();
  const add = (term: string, field: keyof TermCounts) => {
    const entry = counts.get(term) ?? { titleCount: 0, bodyCount: 0 };
    entry[field]++;
    counts.set(term, entry);
  };
  for (const text of [article.title, ...article.tags]) for (const term of termsOf(text)) add(term, 'titleCount');
  for (const term of termsOf(article.body)) add(term, 'bodyCount');
  return counts;
}

/**
 * A user's query as the conditions an article must all meet, duplicates dropped; empty when nothing searchable is
 * left. Words separated by spaces are ANDed; a CJK run of several characters needs all its bigrams (路灯报修 →
 * 路灯 灯报 报修), in any place of the article — a bag of bigrams, not a phrase: exact for the two-character words
 * agents type, and a longer run whose bigrams all occur is nearly always the run itself.
 */
export function queryConditions(query: string): TermCondition[] {
  const seen = new Set<string>();
  const conditions: TermCondition[] = [];
  const push = (condition: TermCondition) => {
    const key = `${condition.kind}:${condition.term}`;
    if (seen.has(key)) return;
    seen.add(key);
    conditions.push(condition);
  };
  for (const segment of querySegments(query)) {
    if (segment.kind === 'word') push({ kind: 'prefix', term: cut(segment.text) });
    else if ([...segment.text].length === 1) push({ kind: 'prefix', term: segment.text });
    else for (const bigram of bigramsOf(segment.text).slice(0, -1)) push({ kind: 'exact', term: bigram });
  }
  return conditions;
}

/** What a query looks for in the text, for the snippet: its CJK runs and words. */
export function queryParts(query: string): SearchSegment[] {
  return querySegments(query);
}

const SNIPPET_LENGTH = 120;
const SNIPPET_LEAD = 30;

/**
 * A short piece of the body for a result list: around the first place a part of the query occurs (the body's
 * start without a query or a match), whitespace folded, with … where it was cut.
 */
export function snippetOf(body: string, query: string | undefined): string {
  const text = body.replace(/\s+/g, ' ').trim();
  const chars = [...text];
  let start = 0;
  if (query) {
    // Lower-case only (NFKC could change lengths): enough to find where a typed word stands in the text.
    const lowered = text.toLowerCase();
    let first = -1;
    for (const part of queryParts(query)) {
      const at = lowered.indexOf(normalizeForSearch(part.text));
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first >= 0) {
      // indexOf counts UTF-16 units; the snippet is cut by characters.
      const charIndex = [...lowered.slice(0, first)].length;
      start = Math.max(0, charIndex - SNIPPET_LEAD);
    }
  }
  const end = Math.min(chars.length, start + SNIPPET_LENGTH);
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`;
}
