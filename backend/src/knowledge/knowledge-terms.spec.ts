import { articleTerms, MAX_TERM_LENGTH, queryConditions, snippetOf } from './knowledge-terms';

describe('knowledge terms', () => {
  describe('articleTerms', () => {
    it('counts CJK bigrams and words, the title with its tags apart from the body', () => {
      const terms = articleTerms({ title: '路灯报修', tags: ['路灯'], body: '路灯不亮请报修。Call 12345' });
      expect(terms.get('路灯')).toEqual({ titleCount: 2, bodyCount: 1 });
      expect(terms.get('报修')).toEqual({ titleCount: 1, bodyCount: 1 });
      expect(terms.get('灯报')).toEqual({ titleCount: 1, bodyCount: 0 });
      // The last character of each run stands alone too, so a one-character query finds it.
      expect(terms.get('修')).toEqual({ titleCount: 1, bodyCount: 1 });
      expect(terms.get('call')).toEqual({ titleCount: 0, bodyCount: 1 });
      expect(terms.get('12345')).toEqual({ titleCount: 0, bodyCount: 1 });
      // Punctuation is never a term.
      expect([...terms.keys()].some((term) => /[。\s]/.test(term))).toBe(false);
    });

    it('normalises full-width letters and digits and cuts long words to the column', () => {
      const long = 'a'.repeat(50);
      const terms = articleTerms({ title: 'ＡＢＣ１２', tags: [], body: long });
      expect(terms.has('abc12')).toBe(true);
      expect(terms.has('a'.repeat(MAX_TERM_LENGTH))).toBe(true);
      expect([...terms.keys()].every((term) => [...term].length <= MAX_TERM_LENGTH)).toBe(true);
    });
  });

  describe('queryConditions', () => {
    it('a two-character word is one exact bigram', () => {
      expect(queryConditions('路灯')).toEqual([{ kind: 'exact', term: '路灯' }]);
    });

    it('a longer run needs all its bigrams; words separated by spaces are ANDed', () => {
      expect(queryConditions('公积金 提取')).toEqual([
        { kind: 'exact', term: '公积' },
        { kind: 'exact', term: '积金' },
        { kind: 'exact', term: '提取' },
      ]);
    });

    it('one character and letter/digit words are prefixes; repeats and punctuation are dropped', () => {
      expect(queryConditions('灯 ＡＰＰ， app 灯')).toEqual([
        { kind: 'prefix', term: '灯' },
        { kind: 'prefix', term: 'app' },
      ]);
    });

    it('leaves nothing for a query of punctuation only', () => {
      expect(queryConditions('，。!?  ')).toEqual([]);
    });

    it('never lets LIKE or GLOB wildcards through', () => {
      expect(queryConditions('a% b_ c* d? [e]').map((c) => c.term)).toEqual(['a', 'b', 'c', 'd', 'e']);
    });
  });

  describe('snippetOf', () => {
    const body = `${'前言'.repeat(60)}这里说明路灯报修的流程。${'后记'.repeat(60)}`;

    it('starts at the body without a query', () => {
      const snippet = snippetOf(body, undefined);
      expect(snippet.startsWith('前言前言')).toBe(true);
      expect(snippet.endsWith('…')).toBe(true);
      expect([...snippet].length).toBe(121);
    });

    it('shows the place of the first match, cut with … on both sides', () => {
      const snippet = snippetOf(body, '报修');
      expect(snippet.startsWith('…')).toBe(true);
      expect(snippet).toContain('路灯报修的流程');
      expect(snippet.endsWith('…')).toBe(true);
    });

    it('folds whitespace and keeps a short body whole', () => {
      expect(snippetOf('第一行\n\n  第二行', '第二')).toBe('第一行 第二行');
    });
  });
});
