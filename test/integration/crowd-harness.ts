import type { TextClassification } from '@srs/core';
import { eventually, testMsisdn, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import request from 'supertest';
import { startStackWithSharing } from './stack-harness';

export interface Crowd {
  db: TestDatabase;
  sharingUrl: string;
  /** app keys that attest their reporters, and fraud teams' keys (read, feedback), of demo-uk and demo-fr */
  keys: { ukApp: string; frApp: string; ukTeam: string; frTeam: string };
  /** One subscriber's report through the app API; resolves once the analyser has judged it. */
  report(appKey: string, sender: string, text: string): Promise<string>;
  /** `n` subscribers, the first `onUk` of them on demo-uk and the rest on demo-fr. */
  reportedBy(n: number, onUk: number, sender: string, text: string): Promise<void>;
  /** The indicator feed as a fraud team reads it. */
  feed(teamKey?: string): Promise<Array<{ id: string; value: string; shared: boolean }>>;
  /** The values the feed shares now. */
  sharedValues(): Promise<Set<string>>;
  close(): Promise<void>;
}

/**
 * Subscribers of two operators reporting through the app API (keys that
 * attest their numbers, so each is a distinct reporter), the worker, and the
 * sharing API their fraud teams read: a consortium in one process.
 */
export async function startCrowd(env: Record<string, string>, classify?: (text: string) => TextClassification): Promise<Crowd> {
  const stack = await startStackWithSharing({ config: { WORKER_CONCURRENCY: '4', ...env }, worker: classify ? { classify } : {} });
  const { db, intake, sharing } = stack;
  const keys = {
    ukApp: await stack.key('demo-uk', ['report', 'attest'], 'crowd'),
    frApp: await stack.key('demo-fr', ['report', 'attest'], 'crowd'),
    ukTeam: await stack.key('demo-uk', ['read', 'feedback'], 'crowd'),
    frTeam: await stack.key('demo-fr', ['read', 'feedback'], 'crowd'),
  };

  const report = async (appKey: string, sender: string, text: string) => {
    const id = `crowd-${uniqueSuffix()}`;
    const res = await request(intake.url)
      .post('/v1/reports')
      .set('authorization', `Bearer ${appKey}`)
      .send({ reporter: testMsisdn(), sender, id, text });
    if (res.status !== 202) throw new Error(`report answered ${res.status}: ${JSON.stringify(res.body)}`);
    await eventually(
      async () =>
        (await db.pool.query('SELECT count(*)::int AS n FROM reports WHERE gateway_message_id = $1 AND analysed_at IS NOT NULL', [id]))
          .rows[0].n,
      (n) => n === 1,
      30_000,
    );
    return id;
  };
  const feed = async (teamKey = keys.frTeam) => {
    const res = await request(sharing.url).get('/v1/indicators?limit=1000').set('authorization', `Bearer ${teamKey}`);
    if (res.status !== 200) throw new Error(`feed answered ${res.status}`);
    return res.body.data as Array<{ id: string; value: string; shared: boolean }>;
  };
  return {
    db,
    sharingUrl: sharing.url,
    keys,
    report,
    async reportedBy(n, onUk, sender, text) {
      for (let i = 0; i < n; i++) await report(i < onUk ? keys.ukApp : keys.frApp, sender, text);
    },
    feed,
    sharedValues: async () => new Set((await feed()).filter((i) => i.shared).map((i) => i.value)),
    close: () => stack.close(),
  };
}
