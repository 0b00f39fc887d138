import { createPool } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import { createRedis } from '@srs/queue';
import { capturingLogger, createTestDatabase, testConfig, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { createStatsApp } from '../src/app';
import { seedStatistics, type SeededStatistics } from './seed-statistics';

/**
 * DATABASE_REPLICA_URL: the statistics are read from the replica, the keys
 * checked on the primary. A real replica holds the primary's data a moment
 * late; here the "replica" is another database holding other statistics (a
 * year earlier), so every answer shows which one it was read from.
 */
describe('statistics read from a replica', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let redis: ReturnType<typeof createRedis>;
  let server: RunningServer;
  let seeded: SeededStatistics;
  const replicaNow = new Date(Date.UTC(new Date().getUTCFullYear() - 1, 5, 15));

  beforeAll(async () => {
    [primary, replica] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    seeded = await seedStatistics(primary.pool, { reports: 300, days: 7 });
    await seedStatistics(replica.pool, { reports: 300, days: 7, now: replicaNow, seed: 7 });
    const config = testConfig({ DATABASE_URL: primary.url, DATABASE_REPLICA_URL: replica.url });
    expect(config.database.replicaUrl).toBe(replica.url);
    redis = createRedis(config.redis.url, 'producer');
    const app = createStatsApp({ config, logger: capturingLogger('stats').logger, pool: primary.pool, readPool: replica.pool, redis });
    server = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close(1000);
    redis.disconnect();
    await Promise.all([primary.drop(), replica.drop()]);
  });

  const get = (path: string) => request(server.url).get(path).set('authorization', `Bearer ${seeded.regulatorKey}`);

  it('answers from the replica with a key only the primary holds', async () => {
    // The replica has its own regulator key; the primary's is unknown there.
    const { rows } = await replica.pool.query(`SELECT 1 FROM api_keys WHERE prefix = $1`, [seeded.regulatorKey.split('_')[1]]);
    expect(rows).toHaveLength(0);

    const meta = await get('/v1/stats/meta');
    expect(meta.status).toBe(200);
    const last = new Date(meta.body.last_bucket);
    expect(Math.abs(last.getTime() - replicaNow.getTime())).toBeLessThan(2 * 86_400_000);

    const day = (d: Date) => d.toISOString().slice(0, 10);
    const week = (to: Date) => `from=${day(new Date(to.getTime() - 10 * 86_400_000))}&to=${day(to)}`;
    const onReplica = await get(`/v1/stats/summary?${week(replicaNow)}`);
    const onPrimary = await get(`/v1/stats/summary?${week(new Date())}`);
    expect(onReplica.status).toBe(200);
    expect(onReplica.body.reports).toBeGreaterThan(0);
    expect(onPrimary.body.reports).toBe(0);
  });

  it('is ready only while the replica answers too', async () => {
    expect((await request(server.url).get('/readyz')).body.checks).toEqual({ postgres: 'ok', postgres_replica: 'ok', redis: 'ok' });
    const unreachable = createPool({ url: 'postgres://postgres@127.0.0.1:1/srs' });
    const config = testConfig({ DATABASE_URL: primary.url });
    const app = createStatsApp({ config, logger: capturingLogger('stats').logger, pool: primary.pool, readPool: unreachable, redis });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({ postgres: 'ok', postgres_replica: 'down' });
    await unreachable.end();
  });
});
