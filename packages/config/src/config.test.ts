import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('works with no environment at all, matching the Kannel harness', () => {
    const config = loadConfig({});
    expect(config.intake.port).toBe(3000);
    expect(config.routing.kannel[0]).toMatchObject({
      sendsmsUrl: 'http://127.0.0.1:13013/cgi-bin/sendsms',
      user: 'srs',
      password: 'srs-secret',
    });
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/srs');
    expect(config.privacy.msisdnEncryptionKey).toHaveLength(32);
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const config = loadConfig({ INTAKE_PORT: '3100', REDIS_URL: '' });
    expect(config.intake.port).toBe(3100);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('takes Redis Cluster seed nodes as a comma-separated list, and names a malformed one', () => {
    expect(loadConfig({}).redis.clusterNodes).toEqual([]);
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-1.internal:7001 ,redis://:secret@10.0.0.3:7002' }).redis.clusterNodes,
    ).toEqual(['10.0.0.1:7000', 'redis-1.internal:7001', 'redis://:secret@10.0.0.3:7002']);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-2' })).toThrow(/REDIS_CLUSTER_NODES.*"redis-2"/);
  });

  it('takes the verdict weights that differ from the defaults, and names an unknown or non-numeric one', () => {
    expect(loadConfig({}).verdict.reporter).toBeGreaterThan(0);
    const tuned = loadConfig({ VERDICT_WEIGHTS: '{"reporter":0.25,"falsePositiveOperator":-5}' }).verdict;
    expect(tuned).toMatchObject({ reporter: 0.25, falsePositiveOperator: -5, operator: loadConfig({}).verdict.operator });
    expect(() => loadConfig({ VERDICT_WEIGHTS: '{"reporters":1}' })).toThrow(/VERDICT_WEIGHTS.*reporters/);
    expect(() => loadConfig({ VERDICT_WEIGHTS: '{"reporter":"many"}' })).toThrow(/VERDICT_WEIGHTS.*reporter/);
    expect(() => loadConfig({ VERDICT_WEIGHTS: 'reporter=1' })).toThrow(/VERDICT_WEIGHTS.*JSON/);
  });

  it('binds to no SMSC unless SMPP is enabled, and then for a known operator', () => {
    expect(loadConfig({}).smpp).toBeNull();
    const smpp = loadConfig({ SMPP_ENABLED: 'true', SMPP_PORT: '2776', SMPP_WINDOW: '4', SMPP_THROUGHPUT: '20' }).smpp;
    expect(smpp).toMatchObject({
      connection: 'smpp',
      operator: 'demo-uk',
      port: 2776,
      window: 4,
      throughputPerSecond: 20,
      sourceAddress: '7726',
      bindMode: 'transceiver',
      concatTtlSeconds: 300,
    });
    expect(loadConfig({ SMPP_ENABLED: 'true', SMPP_BIND_MODE: 'receiver_transmitter' }).smpp!.bindMode).toBe('receiver_transmitter');
    expect(() => loadConfig({ SMPP_ENABLED: 'true', SMPP_BIND_MODE: 'receiver' })).toThrow(/SMPP_BIND_MODE/);
    expect(() => loadConfig({ SMPP_ENABLED: 'true', SMPP_OPERATOR: 'nobody' })).toThrow(/SMPP_OPERATOR: unknown operator nobody/);
    expect(() => loadConfig({ SMPP_ENABLED: 'true', SMPP_PASSWORD: 'longer-than-eight' })).toThrow(/SMPP_PASSWORD/);
  });

  it('names every invalid variable', () => {
    expect.assertions(3);
    try {
      loadConfig({ INTAKE_PORT: 'abc', DATABASE_URL: 'mysql://x', OPERATOR_COUNTRY: 'gb' });
    } catch (err) {
      const message = (err as ConfigError).message;
      expect(message).toMatch(/INTAKE_PORT/);
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).toMatch(/OPERATOR_COUNTRY/);
    }
  });

  it('refuses the development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MSISDN_HMAC_KEY/);
    const config = loadConfig({
      NODE_ENV: 'production',
      MSISDN_HMAC_KEY: 'p'.repeat(40),
      MSISDN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64url'),
    });
    expect(config.env).toBe('production');
  });

  it('rejects an encryption key of the wrong size', () => {
    expect(() => loadConfig({ MSISDN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64url') })).toThrow(/MSISDN_ENCRYPTION_KEY/);
  });
});
