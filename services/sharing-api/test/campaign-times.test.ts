import { get as httpGet } from 'node:http';
import { inFeedTransaction } from '@srs/db';
import { eventually, uniqueSuffix } from '@srs/testkit';
import { CONSORTIUM_COLLECTION_ID } from '../src/taxii/collections';
import { startSharingService, startWebhookReceiver, type SharingService, type WebhookReceiver } from './attack-harness';

/** The instant a subscriber's SMS reached the service, to the millisecond. */
const REPORTED_AT = '2026-11-24T10:17:23.456Z';

function writeCampaign(service: SharingService, category: string, reporters: number) {
  return inFeedTransaction(service.db.pool, (client) =>
    client.query(
      `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen,
                              report_count, reporter_count, operator_count, text_reporters, stix_created_at, updated_at)
       VALUES ('0123456789abcdef', $1, $1, $1, true, $2, 0.9, 'en', $3, $3, $4, $4, 1, $4, $3, $3)`,
      [`campaign text ${category}`, category, REPORTED_AT, reporters],
    ),
  );
}

/** The first event of a kind on /v1/stream from the start of the feed, whose data passes `match`. */
function firstStreamed(base: string, key: string, match: (data: Record<string, unknown>) => boolean) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const req = httpGet(
      `${base}/v1/stream?events=campaign.changed`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` } },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (const line of buffer.split('\n').filter((l) => l.startsWith('data: '))) {
            const data = JSON.parse(line.slice(6)) as Record<string, unknown>;
            if (match(data)) {
              req.destroy();
              resolve(data);
            }
          }
        });
      },
    );
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
  });
}

/**
 * Issue 24 finding 6c: a campaign one subscriber reported was shared with its
 * first and last sighting to the millisecond, which another operator could
 * line up with the SMS traffic it carries to find the subscriber.
 */
describe('the times a campaign is shared with', () => {
  let service: SharingService;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    service = await startSharingService({ SHARE_TEXT_MIN_REPORTERS: '3' });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    receiver.close();
    await service.close();
  });

  async function everywhere(category: string) {
    const key = await service.key('demo-fr', ['read', 'admin']);
    const hook = await service.post(
      '/v1/webhooks',
      { url: receiver.url, events: ['campaign.changed'], filter: { categories: [category] } },
      key,
    );
    expect(hook.status).toBe(201);
    await writeCampaign(service, category, category.startsWith('one') ? 1 : 3);
    const feed = ((await service.get('/v1/campaigns?limit=1000', key)).body.data as Array<Record<string, unknown>>).find(
      (c) => c.category === category,
    )!;
    const streamed = await firstStreamed(service.server.url, key, (d) => d.category === category);
    const delivered = await eventually(
      () => receiver.received.find((r) => r.data.category === category),
      (r) => r !== undefined,
      15_000,
    );
    const objects = (
      await service.taxiiGet(`/taxii2/api/collections/${CONSORTIUM_COLLECTION_ID}/objects/?match[type]=campaign&limit=1000`, key)
    ).body.objects as Array<Record<string, unknown>>;
    const stix = objects.find((o) => (o.labels as string[]).includes(category))!;
    return {
      json: [feed, streamed, delivered!.data].flatMap((c) => [c.first_seen, c.last_seen, c.updated_at]),
      stix: [stix.first_seen, stix.last_seen, stix.created],
    };
  }

  it('are to the hour for a campaign fewer than k subscribers reported, in the feed, the stream, webhooks and STIX', async () => {
    const seen = await everywhere(`one-${uniqueSuffix()}`);
    for (const t of [...seen.json, ...seen.stix]) expect(t).toBe('2026-11-24T10:00:00.000Z');
  });

  it('are to the minute once k subscribers reported it', async () => {
    const seen = await everywhere(`many-${uniqueSuffix()}`);
    for (const t of [...seen.json, ...seen.stix]) expect(t).toBe('2026-11-24T10:17:00.000Z');
  });
});
