import fc from 'fast-check';
import { bigramsOf, querySegments, segmentsOf, toFts5Query, tokenizeDocument } from './cjk-bigrams';
import { toMroongaQuery } from './mroonga-work-order-search';
import { toNgramQuery } from './mysql-ngram-work-order-search';

describe('CJK bigram splitting', () => {
  it('splits a CJK run into overlapping bigrams and its last character', () => {
    expect(bigramsOf('朝阳路灯')).toEqual(['朝阳', '阳路', '路灯', '灯']);
    expect(bigramsOf('灯')).toEqual(['灯']);
    expect(tokenizeDocument('路灯不亮')).toBe('路灯 灯不 不亮 亮');
  });

  it('keeps Latin words and digit runs whole, lower-cased, and drops punctuation', () => {
    expect(tokenizeDocument('ABC Road, No.18!')).toBe('abc road no 18');
    expect(tokenizeDocument('【紧急】!!')).toBe('紧急 急');
  });

  it('separates CJK runs from the digits and letters around them', () => {
    expect(segmentsOf('18号楼3单元WiFi')).toEqual([
      { kind: 'word', text: '18' },
      { kind: 'cjk', text: '号楼' },
      { kind: 'word', text: '3' },
      { kind: 'cjk', text: '单元' },
      { kind: 'word', text: 'wifi' },
    ]);
  });

  it('normalises full-width letters, digits and punctuation (NFKC) before splitting', () => {
    expect(tokenizeDocument('ＡＢＣ１２３，路灯')).toBe('abc123 路灯 灯');
    expect(querySegments('Ｒｏａｄ')).toEqual([{ kind: 'word', text: 'road' }]);
  });

  it('treats kana and Hangul as CJK runs', () => {
    expect(tokenizeDocument('ひらがなカナ한국')).toBe('ひら らが がな なカ カナ ナ한 한국 국');
  });

  it('makes every space-separated word of a query a segment that must match, without duplicates', () => {
    expect(querySegments('  路灯  朝阳路 路灯 ')).toEqual([
      { kind: 'cjk', text: '路灯' },
      { kind: 'cjk', text: '朝阳路' },
    ]);
  });

  it('turns queries into FTS5 phrases of bigrams and prefixes', () => {
    expect(toFts5Query(querySegments('路灯'))).toBe('"路灯"');
    expect(toFts5Query(querySegments('朝阳路灯'))).toBe('"朝阳 阳路 路灯"');
    expect(toFts5Query(querySegments('灯'))).toBe('"灯"*');
    expect(toFts5Query(querySegments('20261202 路灯'))).toBe('"20261202"* AND "路灯"');
    expect(toFts5Query(querySegments('18号楼'))).toBe('"18"* AND "号楼"');
  });

  it('turns queries into Mroonga and MySQL ngram boolean queries', () => {
    expect(toMroongaQuery(querySegments('路灯 abc'))).toBe('+"路灯" +abc*');
    expect(toNgramQuery(querySegments('路灯 abc 灯'))).toBe('+"路灯" +"abc" +灯*');
  });

  it('has nothing to search in punctuation alone', () => {
    for (const query of ['', '   ', '!!!', '"*+-()', '，。、？', '\\']) {
      expect(querySegments(query)).toEqual([]);
      expect(toFts5Query(querySegments(query))).toBeNull();
      expect(toMroongaQuery(querySegments(query))).toBeNull();
      expect(toNgramQuery(querySegments(query))).toBeNull();
    }
  });

  it('neutralises engine syntax in hostile queries', () => {
    expect(toFts5Query(querySegments('a" OR NEAR(b* -c) ^d:e'))).toBe('"a"* AND "or"* AND "near"* AND "b"* AND "c"* AND "d"* AND "e"*');
    expect(toMroongaQuery(querySegments('+路灯 -"x" (y OR z*)'))).toBe('+"路灯" +x* +y* +or* +z*');
  });

  describe('properties (fast-check, seed 20261202)', () => {
    const params = { seed: 20261202, numRuns: 500 };
    const hostile = fc.constantFrom('"', '*', '+', '-', '(', ')', 'OR', 'NEAR', 'AND', 'NOT', '\\', '^', ':', '~', '<', '>', '@', "'", ' ', '路', '灯', 'a', '1', '　', 'Ａ', '\u0000', '\n');
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.array(hostile, { maxLength: 60 }).map((parts) => parts.join('')));

    it('tokens hold only letters and digits, so no engine ever sees an operator', () => {
      fc.assert(
        fc.property(text, (input) => {
          for (const token of tokenizeDocument(input).split(' ').filter((t) => t !== '')) expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
          const segments = querySegments(input);
          for (const segment of segments) expect(segment.text).toMatch(/^[\p{L}\p{N}]+$/u);
          const fts = toFts5Query(segments);
          if (fts !== null) expect(fts).toMatch(/^("[\p{L}\p{N} ]+"\*?)( AND "[\p{L}\p{N} ]+"\*?)*$/u);
          const mroonga = toMroongaQuery(segments);
          if (mroonga !== null) expect(mroonga).toMatch(/^(\+("[\p{L}\p{N}]+"|[\p{L}\p{N}]+\*))( \+("[\p{L}\p{N}]+"|[\p{L}\p{N}]+\*))*$/u);
        }),
        params,
      );
    });

    it('a document always contains the tokens of any slice of itself taken as a query', () => {
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom('路', '灯', '不', '亮', '朝', '阳', 'a', 'b', '1', ' ', '，'), maxLength: 40 }), fc.nat(), fc.nat(), (doc, a, b) => {
          const [from, to] = [Math.min(a, b) % (doc.length + 1), Math.max(a, b) % (doc.length + 1)];
          const documentTokens = tokenizeDocument(doc).split(' ');
          for (const segment of querySegments(doc.slice(from, to))) {
            if (segment.kind === 'cjk') {
              const needed = [...segment.text].length === 1 ? [] : bigramsOf(segment.text).slice(0, -1);
              for (const token of needed) expect(documentTokens).toContain(token);
              if (needed.length === 0) expect(documentTokens.some((t) => t.startsWith(segment.text))).toBe(true);
            } else {
              // Words match by prefix: a slice cut inside a word is still inside one of the document's words.
              expect(documentTokens.some((t) => t.includes(segment.text))).toBe(true);
            }
          }
        }),
        params,
      );
    });
  });
});
