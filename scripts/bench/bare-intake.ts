/**
 * The intake's ceiling: a bare express handler that queues one BullMQ job per
 * request and answers 202, nothing else (no validation, no conversation, no
 * rate limit, no dedup). Run as its own process by the benchmark:
 *   node --import tsx scripts/bench/bare-intake.ts <port> <redis url> <queue prefix>
 */
import { queuePrefix } from '@srs/queue';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';

const [port, redisUrl, prefix] = process.argv.slice(2);
const connection = new Redis(redisUrl!, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
const queue = new Queue('bare-reports', { connection, prefix: queuePrefix(prefix!, 'bare-reports') });
const app = express();
app.get('/v1/gateways/kannel/mo', async (req, res) => {
  const { from, text, id } = req.query as Record<string, string>;
  await queue.add('conversation-step', { from, text, id }, { removeOnComplete: true });
  res.status(202).send('Accepted');
});
const server = app.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void queue.close().then(() => connection.disconnect());
});
