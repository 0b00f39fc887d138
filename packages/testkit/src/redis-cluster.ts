import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { redisAnswers } from '@srs/devstack';

const run = promisify(execFile);

export interface RedisClusterHarness {
  /** `host:port` of each master, as REDIS_CLUSTER_NODES takes them */
  nodes: string[];
  /** Runs redis-cli against one node and returns its output. */
  cli(node: string, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of three masters on loopback (Debian's redis-server in
 * cluster mode, joined by `redis-cli --cluster create`), with AOF on every
 * write as the intake needs. Each node needs its port and the port + 10000
 * for the cluster bus, so the ports are picked where both fit and neither
 * can be handed out by the kernel to another test.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHarness> {
  const ports = await freeClusterPorts(masters);
  const dir = mkdtempSync(path.join(tmpdir(), 'srs-redis-cluster-'));
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '5000',
        '--dir',
        dir,
        '--dbfilename',
        `dump-${port}.rdb`,
        '--appendonly',
        'yes',
        '--appendfilename',
        `appendonly-${port}.aof`,
        '--appenddirname',
        `aof-${port}`,
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    ),
  );
  const nodes = ports.map((p) => `127.0.0.1:${p}`);
  const cli = async (node: string, ...args: string[]) => {
    const [host, port] = node.split(':');
    const { stdout } = await run('redis-cli', ['-h', host!, '-p', port!, ...args]);
    return stdout;
  };
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitFor(() => redisAnswers(`redis://127.0.0.1:${port}`), `redis-server on ${port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    for (const node of nodes)
      await waitFor(async () => (await cli(node, 'cluster', 'info')).includes('cluster_state:ok'), `cluster state on ${node}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, cli, stop };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    // Below the kernel's ephemeral range (32768 and up by default), bus ports included:
    // a port other tests get from the kernel (freePort) is never one of these.
    const port = 20_000 + Math.floor(Math.random() * 2_700);
    if (ports.includes(port)) continue;
    if ((await portFree(port)) && (await portFree(port + 10_000))) ports.push(port);
  }
  return ports;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
