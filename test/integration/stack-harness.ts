import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, type ApiScope } from '@srs/db';
import { listen, type RunningServer } from '@srs/http';
import type { Logger } from '@srs/logging';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, startTestContext, uniqueSuffix, type TestContext } from '@srs/testkit';
import { startIntakeServer } from '../../services/intake/src/server';
import { createSharingApp } from '../../services/sharing-api/src/app';
import { startWorkers, type RunningWorkers, type WorkerDeps } from '../../services/worker/src/workers';

/**
 * A deployment in one process: the intake, the worker (every queue worker and
 * background task) and, when asked for, the sharing API, on a fresh database
 * and a Redis prefix of their own.
 */
export interface Stack extends TestContext {
  /** the worker's blocking connection (the producer one is `redis`) */
  workerRedis: RedisClient;
  intake: RunningServer;
  workers: RunningWorkers;
  /** A new API key of the operator with the scopes, named `name`. */
  key(operatorId: string, scopes: ApiScope[], name?: string): Promise<string>;
  /** Stops the sharing API, the workers and the intake, then deletes the prefix's keys and drops the database. */
  close(): Promise<void>;
}

/** A stack whose sharing API runs too. */
export type StackWithSharing = Stack & { sharing: RunningServer };

export interface StackOptions {
  /** variables over testConfig's (DATABASE_URL is the stack's own database) */
  config?: Record<string, string>;
  /** where each part logs; a capturing logger of its own (named after the part) when not given */
  loggers?: { intake?: Logger; worker?: Logger; sharing?: Logger };
  /** what the worker is handed besides its connections: its metrics registry, a stand-in classifier */
  worker?: Pick<WorkerDeps, 'metrics' | 'classify'>;
}

/** The intake and the worker, as main.ts composes each, running together. */
export function startStack(options: StackOptions = {}): Promise<Stack> {
  return start(options, false);
}

/** The intake, the worker and the sharing API an operator's fraud team reads. */
export function startStackWithSharing(options: StackOptions = {}): Promise<StackWithSharing> {
  return start(options, true) as Promise<StackWithSharing>;
}

async function start(options: StackOptions, withSharing: boolean): Promise<Stack & { sharing?: RunningServer }> {
  const context = await startTestContext({ config: options.config });
  const { db, config, redis } = context;
  const loggers = options.loggers ?? {};
  const workerRedis = createRedis(config.redis.url, 'worker');
  const intake = await startIntakeServer({ config, logger: loggers.intake ?? capturingLogger('intake').logger, pool: db.pool, redis }, 0);
  const workers = startWorkers({
    config,
    logger: loggers.worker ?? capturingLogger('worker').logger,
    pool: db.pool,
    workerRedis,
    producerRedis: redis,
    ...options.worker,
  });
  const sharing = withSharing
    ? await listen(
        createSharingApp({ config, logger: loggers.sharing ?? capturingLogger('sharing').logger, pool: db.pool, redis }),
        0,
        '127.0.0.1',
      )
    : undefined;
  return {
    ...context,
    workerRedis,
    intake,
    workers,
    ...(sharing ? { sharing } : {}),
    async key(operatorId, scopes, name = 'test') {
      const k = generateApiKey();
      await new ApiKeysRepository(db.pool).create({
        id: `key_${uniqueSuffix()}`,
        operatorId,
        name,
        prefix: k.prefix,
        hash: k.hash,
        scopes,
      });
      return k.key;
    },
    async close() {
      await workers.close();
      await intake.close(1000);
      await sharing?.close(1000);
      workerRedis.disconnect();
      await context.close();
    },
  };
}
