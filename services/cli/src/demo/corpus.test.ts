import path from 'node:path';
import { demoDataDir, loadDemoCorpus, parseSample } from './corpus';

describe('demo corpus', () => {
  it('is found beside the sources and beside the build', () => {
    const packageRoot = path.resolve(__dirname, '..', '..');
    expect(demoDataDir()).toBe(path.join(packageRoot, 'demo'));
    expect(demoDataDir(path.join(packageRoot, 'dist', 'demo'))).toBe(path.join(packageRoot, 'demo'));
    expect(() => demoDataDir('/')).toThrow(/demo corpus/);
  });

  it('holds the UCI and Indonesian samples, spam and ham', () => {
    const corpus = loadDemoCorpus();
    const count = (list: typeof corpus.en, label: string) => list.filter((m) => m.label === label).length;
    expect([count(corpus.en, 'spam'), count(corpus.en, 'ham')]).toEqual([400, 150]);
    expect([count(corpus.id, 'spam'), count(corpus.id, 'ham')]).toEqual([100, 30]);
    expect([...corpus.en, ...corpus.id].every((m) => m.text.length > 0 && !m.text.includes('\n'))).toBe(true);
  });

  it('splits lines on the first tab and reads every label but ham as spam', () => {
    expect(parseSample('ham\tsee you "at 6\nfraud\tpay\there\r\n\nbroken line\n')).toEqual([
      { label: 'ham', text: 'see you "at 6' },
      { label: 'spam', text: 'pay\there' },
    ]);
  });
});
