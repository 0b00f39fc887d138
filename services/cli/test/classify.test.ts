import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.join(__dirname, '..', 'dist', 'main.js');

function classifyLines(input: string, args: string[] = []) {
  const run = spawnSync(process.execPath, [CLI, 'classify', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return {
    status: run.status,
    stderr: run.stderr,
    lines: run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

describe('srs classify', () => {
  it('writes one JSON object per input line, in order', () => {
    const { status, lines } = classifyLines(
      [
        'USPS: your parcel is held, pay $1.99 at hxxps://usps-redelivery[.]top/track?id=8F3K2',
        'Your verification code is 493021. Do not share it.',
        '',
        '您的包裹因地址不全被滞留，请登录 http://chinapost-cn.vip 补全信息',
      ].join('\n'),
    );
    expect(status).toBe(0);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ spam: true, category: 'smishing', language: 'en' });
    expect(lines[0].indicators).toEqual(
      expect.arrayContaining([
        { type: 'url', value: 'https://usps-redelivery.top/track?id=8F3K2' },
        { type: 'domain', value: 'usps-redelivery.top' },
      ]),
    );
    expect(lines[1]).toMatchObject({ spam: false, category: 'not_spam', indicators: [] });
    expect(lines[2]).toMatchObject({ spam: false });
    expect(lines[3]).toMatchObject({ spam: true, language: 'zh' });
    for (const line of lines) {
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('reads national numbers in the country it is given and adds the sender it is told', () => {
    const { lines } = classifyLines('Votre colis est bloqué, appelez le 06 12 34 56 78 pour le débloquer\n', [
      '--country',
      'FR',
      '--sender',
      'alphanumeric:ColisFR',
    ]);
    expect(lines[0].indicators).toEqual(
      expect.arrayContaining([
        { type: 'phone', value: '+33612345678' },
        { type: 'sender_alphanumeric', value: 'COLISFR' },
      ]),
    );
  });

  it('refuses a malformed sender option with a clear message', () => {
    const { status, stderr } = classifyLines('x\n', ['--sender', 'BANK']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/--sender is kind:value/);
  });
});
