/**
 * Marks where a search query occurs in a text, for result lists: the text is returned as parts, and the template
 * renders each part as text (a match inside <mark>) — never as HTML, so neither an article nor a query can inject
 * markup. It follows the backend's matching (knowledge-terms.ts): Chinese is matched by character pairs, so each
 * pair of a query run is marked where it stands (公积金 marks 公积金, and 公积 … 积金 apart); letter and digit words
 * case-insensitively.
 */
export interface TextPart {
  text: string;
  match: boolean;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

/** The strings to mark for a query: each CJK run, its character pairs, and each word of letters/digits (lower case). */
export function needlesOf(query: string): string[] {
  const needles = new Set<string>();
  let run = '';
  let kind: 'cjk' | 'word' | null = null;
  const flush = () => {
    if (run === '') return;
    needles.add(run);
    const chars = [...run];
    if (kind === 'cjk') for (let i = 0; i + 1 < chars.length; i++) needles.add(chars[i] + chars[i + 1]);
    run = '';
  };
  for (const char of query.normalize('NFKC').toLowerCase()) {
    const next = !WORD.test(char) ? null : CJK.test(char) ? 'cjk' : 'word';
    if (next !== kind) flush();
    kind = next;
    if (next !== null) run += char;
  }
  flush();
  return [...needles];
}

/** The text cut into plain and matching parts (adjacent and overlapping matches merged); one plain part without a match. */
export function highlightParts(text: string, query: string | null | undefined): TextPart[] {
  const needles = query ? needlesOf(query) : [];
  if (needles.length === 0 || text === '') return text === '' ? [] : [{ text, match: false }];
  const lowered = text.toLowerCase();
  // Lower-casing that changes lengths (rare letters) would shift the positions: then match the text as it is.
  const haystack = lowered.length === text.length ? lowered : text;
  const marked = new Array<boolean>(text.length).fill(false);
  for (const needle of needles) {
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      marked.fill(true, at, at + needle.length);
    }
  }
  const parts: TextPart[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marked[i] !== marked[start]) {
      parts.push({ text: text.slice(start, i), match: marked[start] });
      start = i;
    }
  }
  return parts;
}
