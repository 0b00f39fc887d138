import { get as httpGet, type ClientRequest } from 'node:http';
import { startSharingService, type SharingService } from './attack-harness';

/** Opens /v1/stream and resolves with the status (and body, unless it is a stream); `close` hangs up. */
function openStream(base: string, key: string) {
  let req: ClientRequest;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = httpGet(`${base}/v1/stream?from=now`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` } }, (res) => {
      if (res.statusCode === 200) return resolve({ status: 200, body: '' });
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  return { response, close: () => req.destroy() };
}

/**
 * Issue 24 finding 6a: one operator key opened stream after stream until the
 * process had no slot left, and every other operator got 503.
 */
describe('stream slots held by one operator', () => {
  let service: SharingService;
  beforeAll(async () => {
    service = await startSharingService({ SHARING_STREAM_MAX_CONNECTIONS: '20', SHARING_STREAM_MAX_PER_OPERATOR: '3' });
  });
  afterAll(() => service.close());

  it('refuses an operator its streams beyond its cap with 429 naming the limit, while other operators still connect', async () => {
    const attacker = await service.key('demo-uk', ['read']);
    const otherAttackerKey = await service.key('demo-uk', ['read']);
    const victim = await service.key('demo-fr', ['read']);
    const held = [];
    const statuses: number[] = [];
    let refusal: { status: number; body: string } | undefined;
    // The attacker tries to take every slot of the process, with two keys of its operator.
    for (let i = 0; i < 20; i++) {
      const s = openStream(service.server.url, i % 2 ? otherAttackerKey : attacker);
      held.push(s);
      const res = await s.response;
      statuses.push(res.status);
      if (res.status !== 200) refusal ??= res;
    }
    const victimStream = openStream(service.server.url, victim);
    const victimRes = await victimStream.response;
    for (const s of [...held, victimStream]) s.close();

    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
    expect(JSON.parse(refusal!.body).error).toMatchObject({
      code: 'too_many_streams_for_operator',
      message: expect.stringContaining('3'),
      requestId: expect.any(String),
    });
    expect(victimRes.status).toBe(200);
  });
});
