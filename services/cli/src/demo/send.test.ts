import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoReport } from './generate';
import { checkIntake, IntakeUnreachableError, kannelTime, sendReports } from './send';
import { describeSummary } from './summary';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  auth: string | undefined;
  body: Record<string, string>;
}

/** Plays the intake: records what it is sent and answers as told per report id. */
async function fakeIntake(answer: (seen: Seen) => { status: number; body: unknown; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        auth: req.headers.authorization,
        body: raw ? JSON.parse(raw) : {},
      };
      seen.push(entry);
      const { status, body, headers } = answer(entry);
      // a little latency, so that concurrent requests overlap
      setTimeout(() => {
        inFlight--;
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      }, 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    maxInFlight: () => maxInFlight,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const at = new Date('2026-11-20T08:30:05.123Z');
const report = (id: string, operatorId: string, channel: DemoReport['channel'] = 'app'): DemoReport => ({
  id,
  operatorId,
  channel,
  reporter: channel === 'kannel' ? '447700900123' : '+447400123456',
  sender: '+442079460123',
  senderKind: 'msisdn',
  senderTyped: '02079460123',
  text: 'Royal Mail: your parcel has a £1.45 unpaid fee, pay at https://rm-redelivery-gb.info/track/AB12CD',
  receivedAt: at,
  kind: 'campaign',
});

describe('sending the demo to the intake', () => {
  it('says to start the intake when nothing answers, and what is down when it is not ready', async () => {
    const closed = await fakeIntake(() => ({ status: 200, body: {} }));
    await closed.close();
    await expect(checkIntake(closed.url)).rejects.toThrow(IntakeUnreachableError);
    await expect(checkIntake(closed.url)).rejects.toThrow(/cannot reach the intake at .*ECONNREFUSED.*is npm start running\?/);
    const notReady = await fakeIntake(() => ({ status: 503, body: { status: 'not_ready', checks: { postgres: 'ok', redis: 'down' } } }));
    await expect(checkIntake(notReady.url)).rejects.toThrow(/not ready \(redis down\)/);
    await notReady.close();
  });

  it("posts app reports with each operator's key and the backdated time, and counts what the intake answers", async () => {
    const intake = await fakeIntake(({ body }) => {
      if (body.id === 'dup') return { status: 202, body: { status: 'duplicate', outcome: 'duplicate' } };
      if (body.id === 'bad') return { status: 400, body: { error: { code: 'invalid_field', field: 'sender', message: 'x' } } };
      if (body.id === 'down') return { status: 500, body: { error: { code: 'internal' } } };
      return { status: 202, body: { status: 'accepted', outcome: 'report_filed' } };
    });
    const reports = [
      report('a', 'demo-uk'),
      report('b', 'demo-fr'),
      report('dup', 'demo-fr'),
      report('bad', 'demo-uk'),
      report('down', 'demo-uk'),
    ];
    const progress: number[] = [];
    const summary = await sendReports(reports, {
      intakeUrl: intake.url,
      keys: new Map([
        ['demo-uk', 'key-uk'],
        ['demo-fr', 'key-fr'],
      ]),
      shortCode: '7726',
      concurrency: 2,
      onProgress: (done) => progress.push(done),
    });
    await intake.close();
    expect(summary.outcomes).toEqual({ accepted: 2, duplicate: 1, throttled: 0, refused: 1, failed: 1 });
    expect(summary.byOperator['demo-fr']).toMatchObject({ accepted: 1, duplicate: 1 });
    expect(summary.errors).toEqual({ invalid_field: 1, internal: 1 });
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    const a = intake.seen.find((s) => s.body.id === 'a')!;
    expect(a).toMatchObject({ method: 'POST', path: '/v1/reports', auth: 'Bearer key-uk' });
    expect(a.body).toEqual({
      reporter: '+447400123456',
      sender: '+442079460123',
      text: reports[0]!.text,
      id: 'a',
      receivedAt: '2026-11-20T08:30:05.123Z',
    });
    expect(intake.seen.find((s) => s.body.id === 'b')!.auth).toBe('Bearer key-fr');

    const lines = describeSummary(summary, 1.25).join('\n');
    expect(lines).toMatch(/^sent 5 reports in 1\.3 s: 2 accepted, 1 duplicate, 1 refused, 1 failed/);
    expect(lines).toMatch(/errors: invalid_field ×1, internal ×1/);
    expect(lines).toMatch(/give another --seed/);
    expect(lines).not.toMatch(/7400123456/);
  });

  it('sends a Kannel report as the text, then the sender 45 s later by the gateway clock', async () => {
    const intake = await fakeIntake(() => ({ status: 202, body: { status: 'accepted' } }));
    const summary = await sendReports([report('k1', 'demo-uk', 'kannel')], {
      intakeUrl: intake.url,
      keys: new Map(),
      shortCode: '7726',
      concurrency: 4,
    });
    await intake.close();
    expect(summary.byChannel.kannel.accepted).toBe(1);
    expect(intake.seen.map((s) => [s.method, s.path, Object.fromEntries(s.query)])).toEqual([
      [
        'GET',
        '/v1/gateways/kannel/mo',
        { from: '447700900123', to: '7726', text: report('k1', 'x').text, id: 'k1-text', ts: '2026-11-20 08:30:05' },
      ],
      [
        'GET',
        '/v1/gateways/kannel/mo',
        { from: '447700900123', to: '7726', text: '02079460123', id: 'k1-sender', ts: '2026-11-20 08:30:50' },
      ],
    ]);
  });

  it('retries what the intake asks to retry, and keeps to the concurrency', async () => {
    let busy = 1;
    const intake = await fakeIntake(({ body }) =>
      body.id === 'r0' && busy-- > 0
        ? { status: 429, body: { error: { code: 'rate_limited' } }, headers: { 'retry-after': '1' } }
        : { status: 202, body: { status: 'accepted' } },
    );
    const reports = Array.from({ length: 30 }, (_, i) => report(`r${i}`, 'demo-uk'));
    const summary = await sendReports(reports, {
      intakeUrl: intake.url,
      keys: new Map([['demo-uk', 'k']]),
      shortCode: '7726',
      concurrency: 3,
    });
    await intake.close();
    expect(summary.outcomes.accepted).toBe(30);
    expect(intake.seen.filter((s) => s.body.id === 'r0')).toHaveLength(2);
    expect(intake.maxInFlight()).toBeLessThanOrEqual(3);
    expect(intake.maxInFlight()).toBeGreaterThan(1);
  });

  it('formats times as Kannel does', () => {
    expect(kannelTime(new Date('2026-01-02T03:04:05.999Z'))).toBe('2026-01-02 03:04:05');
  });
});
