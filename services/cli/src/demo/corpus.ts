import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CorpusMessage, DemoCorpus } from './generate';

/**
 * The corpus samples ship in `services/cli/demo/`, beside `src/` and `dist/`:
 * found from this file's folder upwards, so the same code reads them from the
 * sources (tests) and from the build (production, the container image).
 */
export function demoDataDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'demo', 'NOTICE.md');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return path.dirname(candidate);
    if (path.dirname(dir) === dir) throw new Error(`the demo corpus (demo/NOTICE.md) is not in any folder above ${from}`);
  }
}

export function loadDemoCorpus(dir: string = demoDataDir()): DemoCorpus {
  return {
    en: parseSample(readFileSync(path.join(dir, 'sms-sample.tsv'), 'utf8')),
    id: parseSample(readFileSync(path.join(dir, 'sms-sample-id.tsv'), 'utf8')),
  };
}

/**
 * `label<TAB>text` lines, split on the first tab (texts hold quotes and
 * tabs are not escaped). Labels other than ham (spam, fraud, promo) are spam.
 */
export function parseSample(content: string): CorpusMessage[] {
  const messages: CorpusMessage[] = [];
  for (const line of content.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const text = line.slice(tab + 1).trim();
    if (text) messages.push({ label: line.slice(0, tab) === 'ham' ? 'ham' : 'spam', text });
  }
  return messages;
}
