import { loadConfig } from '@srs/config';
import { createMetricsRegistry, createServiceApp, Gauge, listen, onShutdown } from '@srs/http';
import { createLogger } from '@srs/logging';
import { createRedis } from '@srs/queue';
import { createInboundDeps } from './conversation/inbound-deps';
import { startSmppGateway } from './gateways/smpp/smpp-gateway';
import { warnIfRedisIsNotDurable } from './redis-durability';

/**
 * The SMPP gateway's own process: one bind to one SMSC (docs/GATEWAYS.md says
 * why it is not part of each intake instance). It needs Redis, not PostgreSQL.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'intake-smpp', level: config.logLevel });
  if (!config.smpp) throw new Error('SMPP_ENABLED is not true: there is no SMSC to bind to');
  const redis = createRedis(config.redis, 'producer', { enableAutoPipelining: true });
  const workerRedis = createRedis(config.redis, 'worker');
  const metrics = createMetricsRegistry('intake-smpp');
  const inbound = createInboundDeps({ config, logger, redis, metrics });
  const gateway = startSmppGateway({ smpp: config.smpp, inbound, workerRedis, prefix: config.redis.prefix, logger });
  new Gauge({
    name: 'srs_smpp_bound',
    help: '1 while the SMPP link is bound to the SMSC (with SMPP_BIND_MODE=receiver_transmitter: both sessions)',
    registers: [metrics],
    collect() {
      this.set(gateway.isBound ? 1 : 0);
    },
  });
  new Gauge({
    name: 'srs_smpp_outstanding_submits',
    help: 'submit_sm sent and not yet answered (at most SMPP_WINDOW)',
    registers: [metrics],
    collect() {
      this.set(gateway.link.outstanding);
    },
  });

  const checks = {
    redis: async () => {
      await redis.ping();
    },
    smsc: async () => {
      if (!gateway.isBound) throw new Error('not bound to the SMSC');
    },
  };
  const health = createServiceApp({ logger, checks, metrics, metricsToken: config.observability.metricsToken }, () => undefined);
  const server = await listen(health, config.smpp.healthPort, config.http.host);
  logger.info({ url: server.url, smsc: `${config.smpp.host}:${config.smpp.port}` }, 'SMPP gateway running');
  const onReady = () => void warnIfRedisIsNotDurable(redis, logger);
  if (redis.status === 'ready') onReady();
  else redis.once('ready', onReady);

  onShutdown(logger, config.http.shutdownTimeoutMs, async () => {
    await gateway.close();
    await server.close(1000);
    redis.disconnect();
    workerRedis.disconnect();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
