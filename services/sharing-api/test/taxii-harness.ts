import { randomUUID } from 'node:crypto';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, inFeedTransaction, ParticipantsRepository, SharingRepository, TaxiiRepository, type Pool } from '@srs/db';
import { errorHandler, listen, notFoundHandler, requestId, type RunningServer } from '@srs/http';
import { capturingLogger, createTestDatabase, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import express from 'express';
import request from 'supertest';
import { taxiiRoutes } from '../src/taxii/taxii-routes';

export const TAXII = 'application/taxii+json;version=2.1';

export interface TaxiiHarness {
  db: TestDatabase;
  server: RunningServer;
  /** keys by name: ukRead, ukPublish (read + publish), frRead, regulator */
  keys: Record<'ukRead' | 'ukPublish' | 'frRead' | 'frPublishOnly' | 'regulator', string>;
  get(path: string, key?: string): request.Test;
  post(path: string, body: unknown, key?: string): request.Test;
  close(): Promise<void>;
}

/** A database of its own and the TAXII router on its own app, with the shared error handling, as the sharing API mounts it. */
export async function startTaxii(overrides: Record<string, string> = {}): Promise<TaxiiHarness> {
  const db = await createTestDatabase();
  const repo = new ApiKeysRepository(db.pool);
  const make = async (owner: { operatorId?: string; regulatorId?: string }, scopes: Array<'read' | 'publish' | 'stats'>) => {
    const k = generateApiKey();
    await repo.create({ id: `key_${uniqueSuffix()}`, ...owner, name: 'test', prefix: k.prefix, hash: k.hash, scopes });
    return k.key;
  };
  const keys = {
    ukRead: await make({ operatorId: 'demo-uk' }, ['read']),
    ukPublish: await make({ operatorId: 'demo-uk' }, ['read', 'publish']),
    frRead: await make({ operatorId: 'demo-fr' }, ['read']),
    frPublishOnly: await make({ operatorId: 'demo-fr' }, ['publish']),
    regulator: await make({ regulatorId: 'demo-regulator' }, ['read', 'stats']),
  };
  const config = testConfig({ DATABASE_URL: db.url, ...overrides });
  const app = express();
  app.use(requestId());
  app.use(
    '/taxii2',
    taxiiRoutes({
      repositories: {
        taxii: new TaxiiRepository(db.pool),
        participants: new ParticipantsRepository(db.pool),
        sharing: new SharingRepository(db.pool),
      },
      config,
      logger: capturingLogger('taxii').logger,
      findApiKey: async (prefix) => (await repo.findActiveByPrefix(prefix)) ?? undefined,
    }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(capturingLogger('taxii').logger));
  const server = await listen(app, 0, '127.0.0.1');
  return {
    db,
    server,
    keys,
    get: (path, key = keys.ukRead) => request(server.url).get(path).set('Accept', TAXII).auth('taxii-client', key),
    post: (path, body, key = keys.ukPublish) =>
      request(server.url).post(path).set('Accept', TAXII).set('Content-Type', TAXII).auth('taxii-client', key).send(JSON.stringify(body)),
    close: async () => {
      await server.close(1000);
      await db.drop();
    },
  };
}

/** A consortium indicator change, as the analyser writes one. */
export async function writeIndicator(
  pool: Pool,
  value: string,
  change: { publishable: boolean; score?: number; type?: string },
): Promise<string> {
  return inFeedTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count, operator_count)
       VALUES ($1, $2, 'smishing', 0.9, now(), now(), $3, $4, $4, 3, 2)
       ON CONFLICT (type, value) DO UPDATE SET score = EXCLUDED.score, publishable = EXCLUDED.publishable,
         ever_published = indicators.ever_published OR EXCLUDED.publishable, seq = nextval('change_seq'), updated_at = now()
       RETURNING id::text`,
      [change.type ?? 'domain', value, change.score ?? 0.8, change.publishable],
    );
    return rows[0]!.id;
  });
}

/** A spam campaign reported by `reporters` distinct subscribers, one of whose pseudonyms is stored with it. */
export async function writeCampaign(pool: Pool, text: string, reporters: number, pseudonym: string): Promise<string> {
  return inFeedTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen, report_count, reporter_count, operator_count, text_reporters)
       VALUES ('0123456789abcdef', $1, $1, $1, true, 'smishing', 0.9, 'en', now(), now(), $2, $2, 1, $2) RETURNING id::text`,
      [text, reporters],
    );
    await client.query('INSERT INTO campaign_reporters (campaign_id, reporter_pseudonym) VALUES ($1, $2)', [rows[0]!.id, pseudonym]);
    return rows[0]!.id;
  });
}

export const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
export const TLP_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';

/** A STIX 2.1 indicator an operator would POST, with an id of its own unless `changes` gives one. */
export function stixIndicator(pattern: string, changes: Record<string, unknown> = {}) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2025-03-01T10:00:00.000Z',
    modified: '2025-03-01T10:00:00.000Z',
    name: 'parcel fee smishing',
    description: 'a parcel fee lure seen in SMS',
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    valid_from: '2025-03-01T10:00:00Z',
    labels: ['smishing'],
    confidence: 85,
    object_marking_refs: [TLP_AMBER],
    ...changes,
  };
}
