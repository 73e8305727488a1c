/**
 * Splitting Chinese (and mixed) text into search tokens the same way for the stored text and for the query.
 *
 * Chinese has no spaces between words, and a dictionary segmenter (jieba) misses the new place and road names
 * a hotline lives on. Overlapping character bigrams find every 2-character word (路灯) and, as a phrase of
 * bigrams, every longer one, with no dictionary — the approach of Groonga's TokenBigram and MySQL's ngram
 * parser, so the engines agree on what matches:
 * - text is NFKC-normalised (full-width ＡＢＣ１２ → abc12) and lower-cased;
 * - a run of CJK characters (Han, kana, Hangul) becomes its overlapping bigrams plus its last character alone
 *   (朝阳路 → 朝阳 阳路 路), so a 1-character query finds a character wherever it stands in the run;
 * - a run of other letters and digits is one word (road, 20261202000123, 18);
 * - everything else (punctuation, symbols, spaces) separates tokens and is never searched.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

/** A stretch of searchable text: CJK characters (matched by bigrams) or a word of letters/digits. */
export interface SearchSegment {
  kind: 'cjk' | 'word';
  text: string;
}

export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The text's CJK runs and words, in order. */
export function segmentsOf(text: string): SearchSegment[] {
  const segments: SearchSegment[] = [];
  let current: SearchSegment | null = null;
  for (const char of normalizeForSearch(text)) {
    // Only letters and digits are searched: Han radicals and CJK symbols (⺀, 〒) separate like punctuation.
    const kind = !WORD.test(char) ? null : CJK.test(char) ? 'cjk' : 'word';
    if (kind === null) {
      current = null;
    } else if (current && current.kind === kind) {
      current.text += char;
    } else {
      current = { kind, text: char };
      segments.push(current);
    }
  }
  return segments;
}

/** The tokens of one CJK run: overlapping bigrams and the last character alone (路 → 路; 路灯 → 路灯 灯). */
export function bigramsOf(run: string): string[] {
  const chars = [...run];
  const tokens: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
  if (chars.length > 0) tokens.push(chars[chars.length - 1]);
  return tokens;
}

/** The text as space-separated tokens, ready for a whitespace tokenizer (the SQLite FTS5 shadow columns). */
export function tokenizeDocument(text: string): string {
  return segmentsOf(text)
    .flatMap((s) => (s.kind === 'cjk' ? bigramsOf(s.text) : [s.text]))
    .join(' ');
}

/** Longest query the search accepts (the API validates it; longer text is cut here rather than sent to an engine). */
export const MAX_QUERY_LENGTH = 100;

/**
 * A user's query as the segments that must all match (AND): every space-separated word is split into its
 * CJK runs and letter/digit words, duplicates dropped. Empty when nothing searchable is left (only punctuation).
 */
export function querySegments(query: string): SearchSegment[] {
  const seen = new Set<string>();
  const result: SearchSegment[] = [];
  for (const segment of segmentsOf(query.trim().slice(0, MAX_QUERY_LENGTH))) {
    const key = `${segment.kind}:${segment.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(segment);
  }
  return result;
}

/**
 * The segments as an FTS5 MATCH expression over tokenizeDocument() text, or null when there is nothing to
 * search. A CJK run is the phrase of its bigrams (a 1-character run a prefix: 灯 matches 灯X and a final 灯),
 * a word is a prefix (2026120 finds the order number 20261202000123). Tokens hold letters and digits only and
 * are always quoted, so FTS5 syntax (", *, +, -, (, OR, NEAR, AND, NOT, ^, :) can never come from the user.
 */
export function toFts5Query(segments: SearchSegment[]): string | null {
  if (segments.length === 0) return null;
  return segments
    .map((s) => {
      if (s.kind === 'word') return `"${s.text}"*`;
      const chars = [...s.text];
      if (chars.length === 1) return `"${s.text}"*`;
      return `"${bigramsOf(s.text).slice(0, -1).join(' ')}"`;
    })
    .join(' AND ');
}
