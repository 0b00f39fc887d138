import { bucketStart, nextBucket } from '@srs/core';
import { StatsRepository, StatsRollupRepository } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, deriveHiddenCells, testConfig, type PublishedSum, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { createStatsApp } from '../src/app';
import { liveView } from '../src/views/live-view';
import type { SeriesAnswer } from '../src/views/series-view';
import { seedStatistics, type SeededStatistics } from './seed-statistics';

const DAY = 86_400_000;

describe('regulator statistics API', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  let seeded: SeededStatistics;
  const abort = new AbortController();
  const logs = capturingLogger('stats');
  /** whole ISO weeks around the seeded period */
  let weeks: { from: string; to: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    seeded = await seedStatistics(db.pool);
    const config = testConfig({ DATABASE_URL: db.url, STATS_LIVE_INTERVAL_MS: '300' });
    redis = createRedis(config.redis.url, 'producer');
    server = await listen(createStatsApp({ config, logger: logs.logger, pool: db.pool, redis, shutdown: abort.signal }), 0, '127.0.0.1');
    const from = bucketStart('week', seeded.from);
    const to = nextBucket('week', bucketStart('week', seeded.to));
    weeks = { from: from.toISOString(), to: to.toISOString() };
  });
  afterAll(async () => {
    abort.abort();
    await server.close(1000);
    redis.disconnect();
    await db.drop();
  });

  const get = (path: string, key = seeded.regulatorKey) => request(server.url).get(path).set('authorization', `Bearer ${key}`);
  const series = async (path: string): Promise<SeriesAnswer> => {
    const res = await get(path);
    expect(res.status).toBe(200);
    return res.body as SeriesAnswer;
  };

  describe('access', () => {
    it('refuses a request without a key, with an operator key, and with an unknown key', async () => {
      expect((await request(server.url).get('/v1/stats/reports')).status).toBe(401);
      const operator = await get('/v1/stats/reports', seeded.operatorKey);
      expect(operator.status).toBe(403);
      expect(operator.body.error).toMatchObject({ field: 'authorization' });
      expect((await get('/v1/stats/reports', 'srs_abcdefgh_0000000000000000000000000000000000000000')).status).toBe(401);
    });

    it('answers bad parameters with 400 naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['/v1/stats/reports?grain=month', 'grain'],
        ['/v1/stats/reports?from=yesterday', 'from'],
        ['/v1/stats/reports?by=subscriber', 'by'],
        ['/v1/stats/reports?country=GBR', 'country'],
        ['/v1/stats/campaigns?country=GB', 'country'],
        ['/v1/stats/reports?grain=hour&from=2026-01-01&to=2026-06-01', 'from'],
        ['/v1/stats/reports?from=2026-06-01&to=2026-01-01', 'from'],
        ['/v1/stats/domains?limit=0', 'limit'],
        ['/v1/stats/reports?grain=hour&by=country&from=2026-11-02&to=2026-11-03', 'by'],
        ['/v1/stats/reports?grain=hour&country=GB&from=2026-11-02&to=2026-11-03', 'country'],
        ['/v1/stats/reports?grain=day&by=operator&category=fraud&country=GB&from=2026-11-02&to=2026-11-03', 'by'],
      ];
      for (const [path, field] of cases) {
        const res = await get(path);
        expect({ path, status: res.status, field: res.body.error?.field }).toEqual({ path, status: 400, field });
        expect(res.body.error.requestId).toEqual(expect.any(String));
      }
    });
  });

  describe('time series', () => {
    it('publishes true counts and hides small ones', async () => {
      const answer = await series(`/v1/stats/reports?grain=day&from=${weeks.from}&to=${weeks.to}`);
      const { rows } = await db.pool.query<{ day: Date; n: number }>(
        `SELECT date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, count(*)::int AS n FROM reports GROUP BY 1`,
      );
      const truth = new Map(rows.map((r) => [r.day.toISOString(), r.n]));
      answer.buckets.forEach((bucket, i) => {
        const value = answer.total.values[i];
        const real = truth.get(bucket) ?? 0;
        const complete = Date.parse(bucket) + DAY <= Date.parse(answer.complete_until);
        // A day not over yet is withheld: null, and not counted as suppressed.
        if (value === null) expect(answer.total.suppressed[i]).toBe(complete);
        else expect(value).toBe(real);
        if (real > 0 && real < 5) expect(value).toBeNull();
      });
      // Most reports of settled days are in published day totals: 88.7–91.2 % measured over runs at different
      // times of day (which days the seed's week holds moves the suppression pattern), so the bound is 85 %.
      const settled = answer.buckets
        .filter((b) => Date.parse(b) + DAY <= Date.parse(answer.complete_until))
        .reduce((n, b) => n + (truth.get(b) ?? 0), 0);
      expect(settled).toBeGreaterThan(seeded.reports * 0.8);
      expect(answer.total.published_sum).toBeGreaterThan(settled * 0.85);
    });

    it('breaks reports down by category, operator, origin country, sender type and links', async () => {
      for (const by of ['category', 'operator', 'country', 'sender_type', 'link']) {
        const answer = await series(`/v1/stats/reports?grain=week&by=${by}&from=${weeks.from}&to=${weeks.to}`);
        expect(answer.series.length).toBeGreaterThan(1);
        // Zero is published; any other published count is at least the minimum.
        for (const s of answer.series) s.values.forEach((v) => v !== null && v !== 0 && expect(v).toBeGreaterThanOrEqual(5));
      }
      const byCountry = await series(`/v1/stats/reports?grain=week&by=country&from=${weeks.from}&to=${weeks.to}`);
      expect(byCountry.series.map((s) => s.key)).toEqual(expect.arrayContaining(['GB', 'NG', 'ZZ']));
      const bySender = await series(`/v1/stats/reports?grain=week&by=sender_type&from=${weeks.from}&to=${weeks.to}`);
      expect(bySender.series.map((s) => s.key).sort()).toEqual(['alphanumeric', 'long_number', 'none', 'short_code']);
    });

    it('hides an operator holding more than 85% of a bucket in the per-operator view', async () => {
      const answer = await series(
        `/v1/stats/reports?grain=hour&by=operator&from=${new Date(seeded.to.getTime() - 7 * DAY).toISOString()}&to=${seeded.to.toISOString()}`,
      );
      let checked = 0;
      answer.buckets.forEach((_, i) => {
        const cells = answer.series.map((s) => s.values[i] ?? null);
        const total = answer.total.values[i] ?? null;
        if (total === null || total === 0) return;
        for (const v of cells) if (v !== null) expect(v / total).toBeLessThanOrEqual(0.85);
        checked++;
      });
      expect(checked).toBeGreaterThan(0);
    });

    it('counts campaigns and shared indicators by category', async () => {
      // By day: a day is decided on its own once over. By week, campaigns (a few a day) lose much more: a week
      // whose days hide exactly one small day must hide its total too (12 to 124 of about 120 published over runs).
      const campaigns = await series(`/v1/stats/campaigns?grain=day&by=category&from=${weeks.from}&to=${weeks.to}`);
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT coalesce(sum(campaigns), 0)::int AS n FROM stats_campaigns WHERE grain = 'day' AND bucket < $1`,
        [bucketStart('day', new Date(campaigns.complete_until))],
      );
      expect(rows[0]!.n).toBeGreaterThan(20);
      expect(campaigns.total.published_sum).toBeGreaterThan(rows[0]!.n * 0.5);
      const indicators = await series(`/v1/stats/indicators?grain=week&by=type&from=${weeks.from}&to=${weeks.to}`);
      expect(indicators.series.map((s) => s.key).sort()).toEqual(['domain', 'sender_msisdn', 'url']);
    });

    it('leaves no suppressed cell derivable from every view of the period together', async () => {
      const lastWeek = {
        from: bucketStart('week', new Date(seeded.to.getTime() - 7 * DAY)),
        to: nextBucket('week', bucketStart('week', new Date(seeded.to.getTime() - 7 * DAY))),
      };
      const requests: Array<{ measure?: string; grain: string; by: string; filters: Record<string, string>; from: string; to: string }> =
        [];
      for (const grain of ['week', 'day']) {
        for (const by of ['none', 'category', 'operator', 'country', 'sender_type', 'link'])
          requests.push({ grain, by, filters: {}, ...weeks });
        for (const by of ['country', 'operator', 'sender_type', 'link'])
          requests.push({ grain, by, filters: { category: 'smishing' }, ...weeks });
        for (const by of ['category', 'sender_type', 'link']) requests.push({ grain, by, filters: { country: 'GB' }, ...weeks });
        for (const by of ['none', 'sender_type', 'link'])
          requests.push({ grain, by, filters: { category: 'smishing', country: 'GB' }, ...weeks });
        requests.push(
          { measure: 'indicators', grain, by: 'type', filters: {}, ...weeks },
          { measure: 'indicators', grain, by: 'category', filters: {}, ...weeks },
        );
        requests.push({ measure: 'indicators', grain, by: 'type', filters: { category: 'smishing' }, ...weeks });
      }
      requests.push({ grain: 'week', by: 'operator', filters: { category: 'smishing', country: 'GB' }, ...weeks });
      for (const by of ['none', 'category', 'operator'])
        requests.push({ grain: 'hour', by, filters: {}, from: lastWeek.from.toISOString(), to: lastWeek.to.toISOString() });
      requests.push({
        grain: 'hour',
        by: 'operator',
        filters: { category: 'smishing' },
        from: lastWeek.from.toISOString(),
        to: lastWeek.to.toISOString(),
      });

      const published = new Map<string, number>();
      const sums: PublishedSum[] = [];
      const cellsByGrain = new Map<string, Set<string>>();
      let hiddenCount = 0;
      // A cell is named by what it counts: its grain, bucket and the dimension values it is restricted to.
      const name = (grain: string, bucket: string, restriction: Record<string, string>, measure = 'reports') =>
        `${measure}|${grain}|${bucket}|${Object.entries(restriction)
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`;
      for (const r of requests) {
        const qs = new URLSearchParams({ grain: r.grain, by: r.by, from: r.from, to: r.to, ...r.filters });
        const answer = await series(`/v1/stats/${r.measure ?? 'reports'}?${qs}`);
        answer.buckets.forEach((bucket, i) => {
          const totalName = name(r.grain, bucket, r.filters, r.measure);
          const record = (cell: string, value: number | null) => {
            if (value === null) hiddenCount++;
            else {
              if (published.has(cell)) expect({ cell, value }).toEqual({ cell, value: published.get(cell) });
              published.set(cell, value);
            }
            const set = cellsByGrain.get(r.grain) ?? new Set<string>();
            set.add(cell);
            cellsByGrain.set(r.grain, set);
          };
          record(totalName, answer.total.values[i]!);
          if (r.by === 'none') return;
          const children = answer.series.map((s) => name(r.grain, bucket, { ...r.filters, [r.by]: s.key }, r.measure));
          answer.series.forEach((s, j) => record(children[j]!, s.values[i]!));
          sums.push({ parent: totalName, children });
        });
      }
      // Days add up to weeks and hours to days, for every cell seen at both grains.
      for (const [fine, coarse] of [
        ['day', 'week'],
        ['hour', 'day'],
      ] as const) {
        const groups = new Map<string, string[]>();
        for (const cell of cellsByGrain.get(fine) ?? []) {
          const [measure, , bucket, restriction] = cell.split('|');
          const parent = `${measure}|${coarse}|${bucketStart(coarse, new Date(bucket!)).toISOString()}|${restriction}`;
          if (cellsByGrain.get(coarse)?.has(parent)) groups.set(parent, [...(groups.get(parent) ?? []), cell]);
        }
        const span = fine === 'day' ? 7 : 24;
        for (const [parent, children] of groups) if (children.length === span) sums.push({ parent, children });
      }
      expect(hiddenCount).toBeGreaterThan(20);
      const derived = deriveHiddenCells(sums, published);
      expect([...derived.keys()]).toEqual([]);
    });

    it('leaves no hidden domain or TLD count derivable from the lists under every filter together', async () => {
      const meta = (await get('/v1/stats/meta')).body as { categories: string[]; countries: string[] };
      const categories = meta.categories.filter((c) => c !== 'not_spam');
      const published = new Map<string, number>();
      const sums: PublishedSum[] = [];
      let hidden = 0;
      for (let week = new Date(weeks.from); week < new Date(weeks.to); week = nextBucket('week', week)) {
        const w = week.toISOString();
        const lists = new Map<string, { domains: Map<string, string>; tlds: Set<string> }>();
        const seenDomains = new Map<string, string>();
        const filters: Array<Record<string, string>> = [{}];
        for (const category of categories) filters.push({ category });
        for (const country of meta.countries) filters.push({ country });
        for (const category of categories) for (const country of meta.countries) filters.push({ category, country });
        const key = (f: Record<string, string>) => `${f.category ?? ''}/${f.country ?? ''}`;
        for (const f of filters) {
          const res = await get(
            `/v1/stats/domains?${new URLSearchParams({ from: w, to: nextBucket('week', week).toISOString(), limit: '100', ...f })}`,
          );
          expect(res.status).toBe(200);
          const list = { domains: new Map<string, string>(), tlds: new Set<string>() };
          for (const d of res.body.domains) {
            published.set(`${w}|${key(f)}|d:${d.domain}`, d.reports);
            list.domains.set(d.domain, d.tld);
            seenDomains.set(d.domain, d.tld);
          }
          for (const t of res.body.tlds) {
            published.set(`${w}|${key(f)}|t:${t.tld}`, t.reports);
            list.tlds.add(t.tld);
          }
          lists.set(key(f), list);
        }
        // A domain missing from a list is hidden or zero there: an unknown to the attacker.
        const cell = (f: Record<string, string>, kind: 'd' | 't', name: string) => {
          const id = `${w}|${key(f)}|${kind}:${name}`;
          if (!published.has(id)) hidden++;
          return id;
        };
        const tlds = new Set(seenDomains.values());
        for (const [domain] of seenDomains) {
          sums.push({ parent: cell({}, 'd', domain), children: categories.map((category) => cell({ category }, 'd', domain)) });
          sums.push({ parent: cell({}, 'd', domain), children: meta.countries.map((country) => cell({ country }, 'd', domain)) });
          for (const category of categories)
            sums.push({
              parent: cell({ category }, 'd', domain),
              children: meta.countries.map((country) => cell({ category, country }, 'd', domain)),
            });
          for (const country of meta.countries)
            sums.push({
              parent: cell({ country }, 'd', domain),
              children: categories.map((category) => cell({ category, country }, 'd', domain)),
            });
        }
        for (const f of filters) {
          for (const tld of tlds) {
            // Domains hidden under every filter are never named: the TLD also holds an unknown rest.
            const listed = [...seenDomains].filter(([, t]) => t === tld).map(([d]) => cell(f, 'd', d));
            sums.push({ parent: cell(f, 't', tld), children: [...listed, `${w}|${key(f)}|unlisted:${tld}`] });
          }
        }
      }
      expect(published.size).toBeGreaterThan(20);
      expect(hidden).toBeGreaterThan(0);
      // Zeros are unknowns here too; a derived zero reveals nothing, a derived count does.
      const derived = [...deriveHiddenCells(sums, published)].filter(([, v]) => v !== 0);
      expect(derived).toEqual([]);
    });

    it('gives every view as CSV with the methodology note', async () => {
      const viaFormat = await get(`/v1/stats/reports?grain=week&by=category&from=${weeks.from}&to=${weeks.to}&format=csv`);
      expect(viaFormat.status).toBe(200);
      expect(viaFormat.headers['content-type']).toMatch(/^text\/csv/);
      expect(viaFormat.headers['content-disposition']).toMatch(/attachment; filename="reports-category-week-/);
      const lines = viaFormat.text.trim().split('\n');
      expect(lines[0]).toMatch(/^# .*Methodology/);
      expect(lines.some((l) => /^# .*suppressed/.test(l))).toBe(true);
      const header = lines.find((l) => !l.startsWith('#'))!;
      expect(header.split(',').slice(0, 3)).toEqual(['bucket', 'total', expect.any(String)]);
      const viaAccept = await get(`/v1/stats/domains?from=${weeks.from}&to=${weeks.to}`).set('accept', 'text/csv');
      expect(viaAccept.headers['content-type']).toMatch(/^text\/csv/);
      expect(viaAccept.text).toContain('kind,name,tld,reports');
      for (const path of ['time-to-share', 'summary', 'campaigns', 'indicators']) {
        const res = await get(`/v1/stats/${path}?from=${weeks.from}&to=${weeks.to}&format=csv`);
        expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
          path,
          status: 200,
          type: expect.stringMatching(/^text\/csv/),
        });
      }
    });
  });

  describe('other views', () => {
    it('lists top abused domains and TLDs with counts of at least the minimum', async () => {
      const res = await get(`/v1/stats/domains?from=${weeks.from}&to=${weeks.to}&limit=5`);
      expect(res.status).toBe(200);
      expect(res.body.domains.length).toBeGreaterThan(0);
      expect(res.body.domains.length).toBeLessThanOrEqual(5);
      expect(res.body.domains[0]).toEqual({ domain: 'parcel-fee.top', tld: 'top', reports: expect.any(Number) });
      expect(res.body.tlds.map((t: { tld: string }) => t.tld)).toContain('top');
    });

    it('gives the time from first report to shared indicator', async () => {
      const res = await get(`/v1/stats/time-to-share?grain=week&from=${weeks.from}&to=${weeks.to}`);
      expect(res.status).toBe(200);
      expect(res.body.overall.median_seconds).toBeGreaterThan(60);
      expect(res.body.overall.p90_seconds).toBeGreaterThanOrEqual(res.body.overall.median_seconds);
      expect(res.body.overall.p90_seconds).toBeLessThan(4 * 3600);
    });

    it('sums up the period with shares of mistaken reports, links and shorteners', async () => {
      const res = await get(`/v1/stats/summary?from=${weeks.from}&to=${weeks.to}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ reports: expect.any(Number), campaigns: expect.any(Number), indicators_shared: expect.any(Number) });
      expect(res.body.not_spam_share).toBeGreaterThan(0.03);
      expect(res.body.not_spam_share).toBeLessThan(0.2);
      expect(res.body.link_share).toBeGreaterThan(0.3);
      expect(res.body.shortener_share).toBeGreaterThan(0);
      expect(res.body.shortener_share).toBeLessThan(res.body.link_share);
    });

    it('describes what exists and the rules', async () => {
      const res = await get('/v1/stats/meta');
      expect(res.body).toMatchObject({ time_zone: 'UTC', rules: { min_cell: 5, dominance_percent: 85 } });
      expect(res.body.categories).toEqual(expect.arrayContaining(['smishing', 'not_spam']));
      expect(res.body.operators.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining(['op-north', 'op-south', 'op-east']));
    });
  });

  describe('live counters', () => {
    it('gives no minute away to whoever recorded the live minutes of an hour and later reads the exact hour', async () => {
      // The busiest hour of a settled day: what the live stream showed at its end, and what the hourly view publishes.
      const { rows } = await db.pool.query<{ hour: Date }>(
        `SELECT date_trunc('hour', received_at) AS hour FROM reports WHERE received_at < date_trunc('day', now()) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      );
      const hour = rows[0]!.hour;
      const answer = await series(
        `/v1/stats/reports?grain=hour&from=${hour.toISOString()}&to=${new Date(hour.getTime() + 3_600_000).toISOString()}`,
      );
      const hourTotal = answer.total.values[0];
      expect(hourTotal).toEqual(expect.any(Number));
      const recorded = await liveView(
        new StatsRepository(db.pool),
        Buffer.from('a deployment key'),
        new Date(hour.getTime() + 3_600_000 - 1),
      );
      expect(recorded.minutes[0]).toBe(hour.toISOString());
      const truth = await db.pool.query<{ minute: Date; n: number }>(
        `SELECT date_trunc('minute', received_at) AS minute, count(*)::int AS n FROM reports WHERE received_at >= $1 AND received_at < $2 GROUP BY 1`,
        [hour, new Date(hour.getTime() + 3_600_000)],
      );
      const real = new Map(truth.rows.map((r) => [r.minute.toISOString(), r.n]));
      // The attack of issue 24: a minute is the hour less all the other minutes.
      const live = recorded.total.values;
      const sum = live.reduce((a, b) => a + b, 0);
      const exact = recorded.minutes.filter((m, i) => hourTotal! - (sum - live[i]!) === (real.get(m) ?? 0)).length;
      expect(exact).toBeLessThan(12);
    });

    it('streams noisy reports per minute by category that add up, stay put between ticks, and follow new reports', async () => {
      const controller = new AbortController();
      const res = await fetch(`${server.url}/v1/stats/live`, {
        headers: { authorization: `Bearer ${seeded.regulatorKey}` },
        signal: controller.signal,
      });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const nextEvent = async (): Promise<{
        minutes: string[];
        epsilon: number;
        total: { values: number[] };
        series: Array<{ key: string; values: number[] }>;
      }> => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (block.includes('event: counts') && data) return JSON.parse(data.slice(6));
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += decoder.decode(value, { stream: true });
        }
      };
      const first = await nextEvent();
      expect(first.minutes).toHaveLength(60);
      expect(first.epsilon).toBe(1);
      first.minutes.forEach((_, i) => expect(first.total.values[i]).toBe(first.series.reduce((n, s) => n + s.values[i]!, 0)));
      // The same minute in the same state gives the same noisy value on every tick: asking again averages nothing away.
      const again = await nextEvent();
      for (const s of first.series) {
        const later = again.series.find((x) => x.key === s.key)!;
        first.minutes.forEach((m, i) => {
          const j = again.minutes.indexOf(m);
          if (j >= 0 && i < first.minutes.length - 2)
            expect({ m, key: s.key, v: later.values[j] }).toEqual({ m, key: s.key, v: s.values[i] });
        });
      }
      const ops = ['op-north', 'op-south', 'op-east'];
      const { rows } = await db.pool.query<{ minute: Date }>(
        `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, received_at, category)
         SELECT 'LIVE' || i, ($1::text[])[1 + i % 3], 'live', 'live-' || i, 'p' || i, '7726', 'x', now(), 'smishing' FROM generate_series(0, 39) i
         RETURNING date_trunc('minute', received_at) AS minute`,
        [ops],
      );
      // The minute the reports fell in, wherever it sits in the window once the clock has turned.
      const minute = rows[0]!.minute.toISOString();
      const smishingIn = (event: typeof first) =>
        event.series.find((s) => s.key === 'smishing')?.values[event.minutes.indexOf(minute)] ?? 0;
      let latest = await nextEvent();
      // 40 reports: with ε = 1 the noise is beyond ±10 with a chance of about 1 in 20,000.
      for (let i = 0; i < 20 && smishingIn(latest) < 30; i++) latest = await nextEvent();
      expect(smishingIn(latest)).toBeGreaterThanOrEqual(30);
      expect(smishingIn(latest)).toBeLessThanOrEqual(50);
      controller.abort();
    });
  });

  describe('retention', () => {
    it('keeps the published history when raw reports are deleted', async () => {
      const paths = [
        `/v1/stats/reports?grain=day&by=category&from=${weeks.from}&to=${weeks.to}`,
        `/v1/stats/domains?from=${weeks.from}&to=${weeks.to}`,
      ];
      const before = await Promise.all(paths.map(async (p) => (await get(p)).body));
      const deleted = await new StatsRollupRepository(db.pool).deleteCountedReportsBefore(new Date(Date.now() + DAY), 100_000);
      expect(deleted).toBeGreaterThan(1000);
      const after = await Promise.all(paths.map(async (p) => (await get(p)).body));
      expect(after).toEqual(before);
    });
  });
});
