import { eventually, startSendsmsRecorder, testMsisdn, uniqueSuffix, type SendsmsRecorder } from '@srs/testkit';
import request from 'supertest';
import { CONSORTIUM_COLLECTION_ID } from '../../services/sharing-api/src/taxii/collections';
import { startStackWithSharing, type Stack, type StackWithSharing } from './stack-harness';

/**
 * The attack of issue 24, point 1, as a curious operator would run it: three
 * subscribers of another operator forward the same bank lure to 7726, each
 * copy carrying their own name and account number, one with their own number
 * typed in. Once the campaign has k = 3 reporters, every route an operator
 * reads it by (the change feed, the stream, TAXII) is searched for any of it.
 */
describe("a campaign shares what its reporters have in common, never one subscriber's text", () => {
  let stack: StackWithSharing;
  let db: Stack['db'];
  let intake: Stack['intake'];
  let sharing: StackWithSharing['sharing'];
  let kannel: SendsmsRecorder;
  let frKey: string;

  beforeAll(async () => {
    kannel = await startSendsmsRecorder();
    stack = await startStackWithSharing({
      config: { KANNEL_SENDSMS_URL: kannel.url, SHARE_TEXT_MIN_REPORTERS: '3', WORKER_CONCURRENCY: '4' },
    });
    ({ db, intake, sharing } = stack);
    frKey = await stack.key('demo-fr', ['read'], 'fraud team');
  });

  afterAll(async () => {
    await stack?.close();
    await kannel?.close();
  });

  const lure = (name: string, account: string) =>
    `Dear ${name}, your Lloyds account ${account} has been locked for your security. To restore access verify your details at http://lloyds-secure-verify-${run}.example/${account.slice(0, 3)} within 24 hours`;
  const run = uniqueSuffix()
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase();
  const personal = ['Bob', 'Jones', '55120987', 'Alice', 'Smithson', '88213344', '07700', '900123', 'Carol', '90011223'];

  it('keeps every name, account number and typed-in number out of the feed, the stream and TAXII', async () => {
    const forwards = [
      lure('Bob Jones', '55120987'),
      `${lure('Alice Smithson', '88213344')} - 07700 900123`,
      `Carol: ${lure('Carol Ng', '90011223')}`,
    ];
    const forward = async (text: string) => {
      const id = `k-${uniqueSuffix()}`;
      const res = await request(intake.url).get('/v1/gateways/kannel/mo').query({ from: testMsisdn(), to: '7726', text, id, coding: '0' });
      expect(res.status).toBe(202);
      return id;
    };
    // A campaign is seeded by the first copy analysed, and the others join it within 5 bits of that one: the
    // plain copy is 5 and 4 bits from the other two, which are 7 apart. Each subscriber's messages are decided
    // in order, but different subscribers' side by side, so the plain copy is let in (and analysed) first.
    const first = await forward(forwards[0]!);
    await eventually(
      async () =>
        (await db.pool.query('SELECT count(*)::int AS n FROM reports WHERE gateway_message_id = $1 AND analysed_at IS NOT NULL', [first]))
          .rows[0].n,
      (n) => n === 1,
      30_000,
    );
    for (const text of forwards.slice(1)) await forward(text);

    const feed = async () =>
      (await request(sharing.url).get('/v1/campaigns?limit=1000').set('authorization', `Bearer ${frKey}`)).body.data as Array<
        Record<string, unknown>
      >;
    const shared = await eventually(
      async () =>
        (await feed()).find((c) => c.reporters === 3 && typeof c.sample_text === 'string' && (c.sample_text as string).includes('lloyds')),
      (c) => c !== undefined,
      30_000,
      250,
    );
    expect(shared!.sample_text).toBe(
      '… dear <name>, your lloyds account <phone> has been locked for your security. to restore access verify your details at <url> within <num> hours …',
    );

    const stream = await readStreamUntil(`${sharing.url}/v1/stream`, frKey, (data) => data.includes('lloyds'));
    const taxii = await request(sharing.url)
      .get(`/taxii2/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/?match[type]=campaign`)
      .set('Accept', 'application/taxii+json;version=2.1')
      .auth('fraud-team', frKey);
    expect(taxii.status).toBe(200);
    const description = (taxii.body.objects as Array<{ description: string }>).map((o) => o.description).find((d) => d.includes('lloyds'));
    expect(description).toContain('differ): … dear <name>, your lloyds account');

    for (const [route, body] of [
      ['feed', JSON.stringify(await feed())],
      ['stream', stream],
      ['taxii', JSON.stringify(taxii.body)],
    ] as const) {
      for (const detail of personal) expect({ route, leaked: body.includes(detail) ? detail : null }).toEqual({ route, leaked: null });
    }
    // Nor does the database keep a raw body beside the campaign.
    const { rows } = await db.pool.query('SELECT to_jsonb(c)::text AS row FROM campaigns c');
    for (const detail of personal) expect(rows.some((r) => (r.row as string).includes(detail))).toBe(false);
  });
});

/** Reads the Server-Sent Events stream until `done` holds for everything read so far. */
async function readStreamUntil(url: string, key: string, done: (data: string) => boolean): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 20_000);
  const res = await fetch(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` }, signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let data = '';
  try {
    while (!done(data)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      data += value;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return data;
}
