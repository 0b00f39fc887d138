import { performance } from 'node:perf_hooks';
import { extractIndicators, isOwnPrompt, parseMessage } from '@srs/core';

/**
 * The time the text handling takes on long hostile inputs (what a backtracking
 * regular expression would take seconds or forever on), largest of each set.
 * The tests check these inputs are read right; how fast belongs here.
 */
export function adversarialTexts(): Array<{ name: string; value: number; unit: string; note: string }> {
  const hostile = [
    'a-'.repeat(25_000),
    'a.'.repeat(25_000),
    `HELP ${' '.repeat(50_000)}x`,
    `SPAM ${'1 '.repeat(25_000)}`,
    'a*'.repeat(25_000),
    `${'?'.repeat(50_000)}x`,
    ' /'.repeat(25_000),
  ];
  const slowest = (run: (text: string) => unknown, texts: readonly string[]) => {
    let worst = 0;
    for (const text of texts) {
      const started = performance.now();
      run(text);
      worst = Math.max(worst, performance.now() - started);
    }
    return worst;
  };
  const huge = 'Pay £1.99 at hxxps://evil[.]top/x or call 07911 123456 例子.中国 '.repeat(2_000) + 'a.'.repeat(50_000) + '1'.repeat(50_000);
  const note = '50,000-character hostile texts (repeated separators, dots, spaces, digits); the slowest of the set';
  return [
    {
      name: 'conversation: reading a hostile text (keywords, sender, links)',
      value: slowest((t) => parseMessage(t, { defaultCountry: 'GB' }), hostile),
      unit: 'ms',
      note,
    },
    {
      name: 'conversation: telling a hostile text from our own prompt',
      value: slowest(isOwnPrompt, ['Thanks for your spam report (ref '.repeat(200), ...hostile]),
      unit: 'ms',
      note,
    },
    {
      name: 'extraction: indicators of a 330,000-character text',
      value: slowest((t) => extractIndicators(t, { defaultCountry: 'GB' }), [huge]),
      unit: 'ms',
      note: 'links, numbers and IDN domains repeated, then 100,000 characters of dots and digits',
    },
  ];
}
