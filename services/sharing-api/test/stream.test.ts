import { get as httpGet, type ClientRequest } from 'node:http';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, FeedRepository, inFeedTransaction, WebhooksRepository, type Pool } from '@srs/db';
import { errorHandler, listen, notFoundHandler, requestId, requireApiKey, type RunningServer } from '@srs/http';
import { capturingLogger, createTestDatabase, eventually, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import express from 'express';
import request from 'supertest';
import { feedRoutes } from '../src/feed/feed-routes';
import { sealedIds } from '../src/feed/sealed-ids';
import { ChangeNotices } from '../src/stream/change-notices';
import { ChangeReader } from '../src/stream/change-reader';
import { streamRoutes } from '../src/stream/stream-routes';

interface StreamEvent {
  id: string | undefined;
  event: string | undefined;
  data: Record<string, unknown>;
}

/** A Server-Sent Events client that keeps every event and comment it reads. */
function openStream(base: string, path: string, headers: Record<string, string>) {
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  let req: ClientRequest;
  const response = new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    req = httpGet(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers['content-type'] ?? '');
      if (status !== 200) {
        let body = '';
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status, contentType, body }));
        return;
      }
      resolve({ status, contentType, body: '' });
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = block.split('\n');
          for (const line of fields.filter((l) => l.startsWith(':'))) comments.push(line.slice(1).trim());
          const field = (name: string) => fields.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
          const data = field('data');
          if (data !== undefined) events.push({ id: field('id'), event: field('event'), data: JSON.parse(data) });
        }
      });
      res.on('close', () => (ended = true));
    });
    req.on('error', reject);
  });
  return { events, comments, response, ended: () => ended, close: () => req.destroy() };
}

function writeIndicator(pool: Pool, value: string, change: { category?: string; score?: number; type?: string } = {}) {
  return inFeedTransaction(pool, (client) =>
    client.query(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
       VALUES ($1, $2, $3, 0.9, now(), now(), $4, true, true, 3)
       ON CONFLICT (type, value) DO UPDATE SET score = EXCLUDED.score, seq = nextval('change_seq'), updated_at = now()`,
      [change.type ?? 'domain', value, change.category ?? 'smishing', change.score ?? 0.8],
    ),
  );
}

function writeCampaign(pool: Pool, text: string, category = 'smishing') {
  return inFeedTransaction(pool, (client) =>
    client.query(
      `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen, report_count, reporter_count, operator_count, text_reporters)
       VALUES ('0123456789abcdef', $1, $1, $1, true, $2, 0.9, 'en', now(), now(), 5, 5, 1, 5)`,
      [text, category],
    ),
  );
}

describe('GET /v1/stream', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let key: string;
  let publishOnlyKey: string;
  const shutdown = new AbortController();
  const config = testConfig({ SHARE_TEXT_MIN_REPORTERS: '3' });

  beforeAll(async () => {
    db = await createTestDatabase();
    const keys = new ApiKeysRepository(db.pool);
    const make = async (scopes: Array<'read' | 'publish'>) => {
      const k = generateApiKey();
      await keys.create({ id: `key_${uniqueSuffix()}`, operatorId: 'demo-fr', name: 'test', prefix: k.prefix, hash: k.hash, scopes });
      return k.key;
    };
    key = await make(['read']);
    publishOnlyKey = await make(['publish']);
    const { logger } = capturingLogger('stream');
    const read = requireApiKey(async (prefix) => {
      const found = await keys.findActiveByPrefix(prefix);
      return found?.operatorId ? found : undefined;
    }, 'read');
    const reader = new ChangeReader(new FeedRepository(db.pool), new WebhooksRepository(db.pool), config.scoring.shareTextMinReporters);
    const app = express();
    app.use(requestId());
    app.use(feedRoutes(new FeedRepository(db.pool), config, [read]));
    app.use(
      streamRoutes({
        reader,
        changes: new ChangeNotices(),
        ids: sealedIds(config.sharing.idKey),
        auth: read,
        logger,
        options: { pollMs: 30, heartbeatMs: 300 },
        signal: shutdown.signal,
      }),
    );
    app.use(notFoundHandler());
    app.use(errorHandler(logger));
    server = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    shutdown.abort();
    await server.close(1000);
    await db.drop();
  });

  const stream = (query = '', headers: Record<string, string> = {}, withKey = key) =>
    openStream(server.url, `/v1/stream${query}`, { ...(withKey ? { authorization: `Bearer ${withKey}` } : {}), ...headers });

  it('refuses a request without a read key, and a Last-Event-ID it did not give out, naming the field', async () => {
    const none = await stream('', {}, '').response;
    const scoped = await stream('', {}, publishOnlyKey).response;
    const bad = await stream('', { 'last-event-id': 'yesterday' }).response;
    expect([none.status, scoped.status, bad.status]).toEqual([401, 403, 400]);
    expect(JSON.parse(bad.body).error.field).toBe('Last-Event-ID');
  });

  it('sends each change as the feed serves it, with the feed cursor past it as the event id', async () => {
    const s = stream('?from=now');
    expect(await s.response).toMatchObject({ status: 200, contentType: expect.stringContaining('text/event-stream') });
    const run = uniqueSuffix();
    await writeIndicator(db.pool, `streamed-${run}.top`);
    await writeCampaign(db.pool, `streamed campaign ${run}`);
    await eventually(
      () => s.events,
      (e) => e.length >= 2,
    );
    s.close();
    expect(s.events.map((e) => e.event)).toEqual(['indicator.changed', 'campaign.changed']);
    expect(s.events[1]!.data).toMatchObject({ sample_text: `streamed campaign ${run}` });

    const before = s.events[0]!;
    const feed = await request(server.url).get(`/v1/indicators?limit=1000`).set('authorization', `Bearer ${key}`);
    const served = feed.body.data.find((i: { value: string }) => i.value === `streamed-${run}.top`);
    expect(before.data).toEqual(served);
    // The event id works as a feed cursor: what follows it in the feed follows it in the stream.
    const after = await request(server.url).get(`/v1/indicators?cursor=${before.id}`).set('authorization', `Bearer ${key}`);
    expect(after.body.data.map((i: { value: string }) => i.value)).not.toContain(`streamed-${run}.top`);
  });

  it('resumes with Last-Event-ID and sees every later change once, however the writes and the reconnection interleave', async () => {
    const run = uniqueSuffix();
    const values = Array.from({ length: 60 }, (_, i) => `resume-${run}-${i}.top`);
    const first = stream('?from=now');
    await first.response;
    const writer = (async () => {
      for (const value of values) {
        await writeIndicator(db.pool, value);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await eventually(
      () => first.events,
      (e) => e.length >= 20,
    );
    first.close();
    const lastId = first.events[first.events.length - 1]!.id!;
    const second = stream('', { 'last-event-id': lastId });
    await second.response;
    await writer;
    const seen = await eventually(
      () => [...first.events, ...second.events].map((e) => String(e.data.value)).filter((v) => v.startsWith(`resume-${run}-`)),
      (v) => v.length >= values.length,
    );
    second.close();
    expect(seen).toHaveLength(values.length);
    expect(new Set(seen).size).toBe(values.length);
    // `seq` is sealed; the test, holding the server's key, reads the position behind it
    const seqs = [...first.events, ...second.events].map((e) => sealedIds(config.sharing.idKey).open('cursor', String(e.data.seq))!);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
  });

  it('takes the feed cursor as ?cursor= to start from', async () => {
    const run = uniqueSuffix();
    await writeIndicator(db.pool, `before-${run}.top`);
    const feed = await request(server.url).get(`/v1/indicators?limit=1000`).set('authorization', `Bearer ${key}`);
    await writeIndicator(db.pool, `after-${run}.top`);
    const s = stream(`?cursor=${feed.body.next}`);
    const events = await eventually(
      () => s.events,
      (e) => e.some((x) => x.data.value === `after-${run}.top`),
    );
    s.close();
    expect(events.map((e) => e.data.value)).toEqual([`after-${run}.top`]);
  });

  it('filters by event type, indicator type, category and minimum confidence', async () => {
    const category = `only-${uniqueSuffix()}`;
    const s = stream(`?from=now&events=indicator.changed&type=domain&category=${category}&min_confidence=0.7`);
    await s.response;
    const run = uniqueSuffix();
    await writeCampaign(db.pool, `not wanted ${run}`, category);
    await writeIndicator(db.pool, `weak-${run}.top`, { category, score: 0.5 });
    await writeIndicator(db.pool, `elsewhere-${run}.top`, { category: 'fraud', score: 0.9 });
    await writeIndicator(db.pool, `user-${run}@example.com`, { category, score: 0.9, type: 'email' });
    await writeIndicator(db.pool, `wanted-${run}.top`, { category, score: 0.9 });
    await eventually(
      () => s.events,
      (e) => e.length >= 1,
    );
    await new Promise((r) => setTimeout(r, 200));
    s.close();
    expect(s.events.map((e) => e.data.value)).toEqual([`wanted-${run}.top`]);
  });

  it('sends heartbeats while nothing changes', async () => {
    const s = stream('?from=now&category=nothing-ever');
    await s.response;
    const comments = await eventually(
      () => s.comments,
      (c) => c.includes('keep-alive'),
      3000,
    );
    s.close();
    expect(comments).toContain('keep-alive');
  });

  it('ends every open stream at shutdown and takes no new one', async () => {
    const s = stream('?from=now');
    await s.response;
    shutdown.abort();
    expect(
      await eventually(
        () => s.ended(),
        (ended) => ended,
        3000,
      ),
    ).toBe(true);
    const refused = await stream('?from=now').response;
    expect(refused.status).toBe(503);
  });
});
