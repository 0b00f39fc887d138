import { get as httpGet } from 'node:http';
import { uniqueSuffix } from '@srs/testkit';
import { uuidv5 } from '../src/stix/ids';
import { operatorCollectionId } from '../src/taxii/collections';
import { startSharingService, startWebhookReceiver, type SharingService, type WebhookReceiver } from './attack-harness';

/** How many TLP:RED indicators the victim publishes between two the attacker can see. */
const N = 37;

/**
 * Every way the attacker knows to read a number out of an identifier, as the
 * sharing API formatted them before: plain numbers, `c42`/`p42`, `v1:<n>`
 * cursors, webhook message ids ending in the sequence, TAXII `next` values
 * whose last element is the row, and STIX ids that are UUIDv5 of `indicator:p<n>`
 * (the namespace is public, so they can be enumerated).
 */
const stixGuesses = new Map(Array.from({ length: 20_000 }, (_, n) => [`indicator--${uuidv5(`indicator:p${n}`)}`, BigInt(n)]));
function numberIn(identifier: string): bigint | undefined {
  if (/^\d+$/.test(identifier)) return BigInt(identifier);
  const prefixed = /^[cp](\d+)$/.exec(identifier) ?? /^msg_[0-9a-f]{20}_(\d+)$/.exec(identifier);
  if (prefixed) return BigInt(prefixed[1]!);
  if (stixGuesses.has(identifier)) return stixGuesses.get(identifier);
  const decoded = Buffer.from(identifier, 'base64url').toString('utf8');
  const cursor = /^v1:(\d+)$/.exec(decoded);
  if (cursor) return BigInt(cursor[1]!);
  try {
    const taxiiNext = JSON.parse(decoded) as unknown[];
    const ref = taxiiNext[taxiiNext.length - 1];
    if (typeof ref === 'string' && /^\d+$/.test(ref)) return BigInt(ref);
  } catch {
    // not JSON: nothing to read
  }
  return undefined;
}

/** What the attacker learns from one identifier of each of the two indicators it sees: the distance, if it can read one. */
function inferredGap(before: string, after: string): bigint | undefined {
  const a = numberIn(before);
  const b = numberIn(after);
  return a !== undefined && b !== undefined ? b - a : undefined;
}

interface Streamed {
  id: string;
  data: Record<string, unknown>;
}

function openStream(base: string, key: string) {
  const events: Streamed[] = [];
  const req = httpGet(`${base}/v1/stream?from=now`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` } }, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        if (data !== undefined) events.push({ id: field('id')!, data: JSON.parse(data) });
      }
    });
  });
  req.on('error', () => undefined);
  return { events, close: () => req.destroy() };
}

/**
 * Issue 24 finding 6d: ids and sequence numbers were shared by every
 * operator's indicators, so the gap between two an operator could see counted
 * the TLP:RED indicators another operator published in between.
 */
describe('what an operator receives about its neighbours', () => {
  let service: SharingService;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    service = await startSharingService({ SHARING_RATE_LIMIT_PER_MINUTE: '1000' });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    receiver.close();
    await service.close();
  });

  it(`does not tell it how many TLP:RED indicators another operator published between two it sees`, async () => {
    const run = uniqueSuffix();
    const victim = await service.key('demo-uk', ['read', 'publish']);
    const attacker = await service.key('demo-fr', ['read', 'publish', 'admin']);
    const hook = await service.post('/v1/webhooks', { url: receiver.url, events: ['indicator.changed'] }, attacker);
    expect(hook.status).toBe(201);
    const stream = openStream(service.server.url, attacker);
    await new Promise((r) => setTimeout(r, 300));

    const publish = (key: string, value: string, tlp: string) =>
      service.post('/v1/indicators', { type: 'domain', value, category: 'smishing', tlp }, key);
    const mineBefore = await publish(attacker, `mine-a-${run}.example`, 'green');
    await publish(victim, `seen-a-${run}.example`, 'green');
    for (let i = 0; i < N; i++) expect((await publish(victim, `red-${run}-${i}.example`, 'red')).status).toBe(201);
    await publish(victim, `seen-b-${run}.example`, 'green');
    const mineAfter = await publish(attacker, `mine-b-${run}.example`, 'green');
    // one more after them, so every page the attacker reads of them has a `next`
    await publish(victim, `seen-c-${run}.example`, 'green');

    // Everything the attacker receives about the two indicators it can see.
    const seen = (value: string) => (i: { value?: unknown }) => i.value === value;
    const pages: Array<{ item: Record<string, unknown>; next: string }> = [];
    for (let cursor = ''; ;) {
      const res = await service.get(`/v1/indicators?limit=1${cursor ? `&cursor=${cursor}` : ''}`, attacker);
      if (res.body.data.length) pages.push({ item: res.body.data[0], next: res.body.next });
      cursor = res.body.next;
      if (!res.body.has_more) break;
    }
    const feedA = pages.find((p) => seen(`seen-a-${run}.example`)(p.item))!;
    const feedB = pages.find((p) => seen(`seen-b-${run}.example`)(p.item))!;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (stream.events.length < 5 || receiver.received.length < 5)) await new Promise((r) => setTimeout(r, 50));
    stream.close();
    const streamA = stream.events.find((e) => seen(`seen-a-${run}.example`)(e.data))!;
    const streamB = stream.events.find((e) => seen(`seen-b-${run}.example`)(e.data))!;
    const hookA = receiver.received.find((h) => seen(`seen-a-${run}.example`)(h.data))!;
    const hookB = receiver.received.find((h) => seen(`seen-b-${run}.example`)(h.data))!;
    const deliveries = (await service.get(`/v1/webhooks/${hook.body.id}/deliveries?limit=100`, attacker)).body.data as Array<{
      id: string;
      seq: string;
      payload: { data: { value: string } };
    }>;
    const deliveryA = deliveries.find((d) => d.payload.data.value === `seen-a-${run}.example`)!;
    const deliveryB = deliveries.find((d) => d.payload.data.value === `seen-b-${run}.example`)!;
    const taxii: Array<{ object: { id: string; pattern: string }; next: string }> = [];
    for (let next = ''; ;) {
      const res = await service.taxiiGet(
        `/taxii2/api/collections/${operatorCollectionId('demo-uk')}/objects/?match[type]=indicator&limit=1${next ? `&next=${next}` : ''}`,
        attacker,
      );
      if (res.body.objects?.length) taxii.push({ object: res.body.objects[0], next: res.body.next ?? '' });
      if (!res.body.more) break;
      next = res.body.next;
    }
    const taxiiA = taxii.find((t) => t.object.pattern.includes(`seen-a-${run}`))!;
    const taxiiB = taxii.find((t) => t.object.pattern.includes(`seen-b-${run}`))!;

    const pairs: Record<string, [string, string]> = {
      'feed id': [String(feedA.item.id), String(feedB.item.id)],
      'feed seq': [String(feedA.item.seq), String(feedB.item.seq)],
      'feed next cursor': [feedA.next, feedB.next],
      'stream event id': [streamA.id, streamB.id],
      'stream id': [String(streamA.data.id), String(streamB.data.id)],
      'stream seq': [String(streamA.data.seq), String(streamB.data.seq)],
      'webhook-id': [hookA.webhookId, hookB.webhookId],
      'webhook id': [String(hookA.data.id), String(hookB.data.id)],
      'webhook seq': [String(hookA.data.seq), String(hookB.data.seq)],
      'delivery id': [deliveryA.id, deliveryB.id],
      'delivery seq': [deliveryA.seq, deliveryB.seq],
      'own publish id': [mineBefore.body.id, mineAfter.body.id],
      'own publish seq': [mineBefore.body.seq, mineAfter.body.seq],
      'STIX id': [taxiiA.object.id, taxiiB.object.id],
      'TAXII next': [taxiiA.next, taxiiB.next],
    };
    for (const [what, [a, b]] of Object.entries(pairs))
      expect({ what, received: [a, b].every((x) => typeof x === 'string' && x.length > 0 && x !== 'undefined') }).toEqual({
        what,
        received: true,
      });
    const learned = Object.fromEntries(Object.entries(pairs).map(([what, [a, b]]) => [what, inferredGap(a, b)]));
    expect(learned).toEqual(Object.fromEntries(Object.keys(pairs).map((what) => [what, undefined])));
  });
});
