import { readFileSync } from 'node:fs';
import type { RedisClient } from '@srs/queue';

/** Peak resident memory of a process so far (VmHWM), in MiB; undefined where /proc does not tell. */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far (user + system), in seconds; undefined where /proc does not tell. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // In clock ticks, which Linux reports at 100 a second whatever the kernel's own rate.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU time the Redis server has used so far (user + system), in seconds, as its INFO tells; NaN when it does not. */
export async function redisCpuSeconds(redis: RedisClient): Promise<number> {
  const info = await redis.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]);
}

/**
 * Commands the Redis server has run so far, by name, as INFO commandstats
 * tells: a script's own calls are counted under their names too, beside the
 * EVALSHA that ran them, so `round trips` (everything but what scripts called)
 * is read from the client side instead.
 */
export async function redisCommandCalls(redis: RedisClient): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[match[1]!] = Number(match[2]);
  return calls;
}

/** Calls per item between two readings of redisCommandCalls, by command, largest first; INFO itself left out. */
export function callsPerItem(before: Record<string, number>, after: Record<string, number>, items: number): Array<[string, number]> {
  return Object.entries(after)
    .filter(([name]) => name !== 'info')
    .map(([name, n]): [string, number] => [name, (n - (before[name] ?? 0)) / items])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}
