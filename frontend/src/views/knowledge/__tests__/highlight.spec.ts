import { describe, expect, it } from 'vitest';
import { highlightParts, needlesOf } from '../highlight';

describe('highlight', () => {
  it('marks a two-character word wherever it stands', () => {
    expect(highlightParts('路灯不亮，路灯报修', '路灯')).toEqual([
      { text: '路灯', match: true },
      { text: '不亮，', match: false },
      { text: '路灯', match: true },
      { text: '报修', match: false },
    ]);
  });

  it('marks every word of the query and the character pairs of a longer run, merging neighbours', () => {
    expect(needlesOf('公积金 提取')).toEqual(['公积金', '公积', '积金', '提取']);
    expect(highlightParts('住房公积金提取条件', '公积金 提取')).toEqual([
      { text: '住房', match: false },
      { text: '公积金提取', match: true },
      { text: '条件', match: false },
    ]);
    // The backend matches the pairs anywhere: so does the highlight.
    expect(highlightParts('公积和积金', '公积金').map((p) => p.match)).toEqual([true, false, true]);
  });

  it('matches letters case-insensitively and full-width query letters as plain ones', () => {
    expect(highlightParts('Call 95598 now', 'ｃａｌｌ 9559')).toEqual([
      { text: 'Call', match: true },
      { text: ' ', match: false },
      { text: '9559', match: true },
      { text: '8 now', match: false },
    ]);
  });

  it('keeps markup as plain text parts (the template renders text, never HTML)', () => {
    const parts = highlightParts('<img src=x onerror=alert(1)> 路灯', '路灯');
    expect(parts).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '路灯', match: true },
    ]);
    // Query punctuation is no pattern: nothing is marked by it.
    expect(highlightParts('a<b>.*c', '<b>.*').filter((p) => p.match)).toEqual([{ text: 'b', match: true }]);
  });

  it('gives the whole text as one plain part without a query, and nothing for an empty text', () => {
    expect(highlightParts('正文', '')).toEqual([{ text: '正文', match: false }]);
    expect(highlightParts('正文', '，。')).toEqual([{ text: '正文', match: false }]);
    expect(highlightParts('', '路灯')).toEqual([]);
  });
});
