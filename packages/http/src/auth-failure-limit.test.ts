import { request as httpRequest } from 'node:http';
import { generateApiKey } from '@srs/core';
import pino from 'pino';
import { requireApiKey, type StoredApiKey } from './api-key-auth';
import { createMetricsRegistry } from './metrics';
import { listen } from './serve';
import { createServiceApp } from './service-app';

function getFrom(localAddress: string, url: string, key: string) {
  return new Promise<number>((resolve, reject) => {
    httpRequest(url, { localAddress, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Every service built on createServiceApp (the intake's app API and the
 * statistics API among them) limits failed API-key authentications per client
 * address, even when it configures nothing: 20 a minute, counted in the process.
 */
describe('failed API-key authentications on any service', () => {
  it('answers an address guessing keys 429 after 20 failures, and serves a valid key from another address', async () => {
    const valid = generateApiKey();
    const stored: StoredApiKey = {
      id: 'k1',
      prefix: valid.prefix,
      hash: valid.hash,
      scopes: ['report'],
      operatorId: 'demo-uk',
      regulatorId: null,
    };
    const app = createServiceApp({ logger: pino({ level: 'silent' }), checks: {}, metrics: createMetricsRegistry('test') }, (a) => {
      a.get(
        '/v1/reports',
        requireApiKey(async (prefix) => (prefix === stored.prefix ? stored : undefined), 'report'),
        (_req, res) => void res.json({ ok: true }),
      );
    });
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) statuses.push(await getFrom('127.0.0.6', `${server.url}/v1/reports`, generateApiKey().key));
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429]);
      expect(await getFrom('127.0.0.7', `${server.url}/v1/reports`, valid.key)).toBe(200);
    } finally {
      await server.close(1000);
    }
  });
});
