import { randomUUID } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { generateApiKey } from '@srs/core';
import { ApiKeysRepository, ParticipantsRepository, type ApiScope } from '@srs/db';
import type { CliContext } from '../context';

const SCOPES: ApiScope[] = ['report', 'read', 'publish', 'feedback', 'admin'];

function scopes(value: string): ApiScope[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((s) => !SCOPES.includes(s as ApiScope));
  if (list.length === 0 || unknown.length) throw new InvalidArgumentError(`scopes are a comma-separated list of ${SCOPES.join(', ')}`);
  return list as ApiScope[];
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a whole number of days');
  return n;
}

export function registerKeyCommands(program: Command, context: CliContext): void {
  const keys = program.command('keys').description("operators' API keys");

  keys
    .command('create')
    .description('make a key for an operator; the key is printed once, alone on the last line')
    .requiredOption('--operator <id or name>', 'operator id or name (see operators list)')
    .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`, scopes)
    .option('--name <name>', 'what the key is for', '')
    .option('--expires-in-days <n>', 'expire the key after this many days', days)
    .action(async (options: { operator: string; scopes: ApiScope[]; name: string; expiresInDays?: number }) => {
      const pool = context.pool();
      const operator = await new ParticipantsRepository(pool).findOperatorByIdOrName(options.operator);
      if (!operator) throw new Error(`no operator ${options.operator}; create it with: operators create --name …`);
      const { key, prefix, hash } = generateApiKey();
      const row = await new ApiKeysRepository(pool).create({
        id: `key_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
        operatorId: operator.id,
        name: options.name,
        prefix,
        hash,
        scopes: options.scopes,
        ...(options.expiresInDays ? { expiresAt: new Date(Date.now() + options.expiresInDays * 86_400_000) } : {}),
      });
      context.print(`key ${row.id} for ${operator.id}, scopes ${row.scopes.join(',')}${row.expiresAt ? `, expires ${row.expiresAt.toISOString()}` : ''}`);
      context.print('store it now: it is not shown again');
      context.print(key);
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves)')
    .option('--operator <id>', 'only this operator')
    .action(async (options: { operator?: string }) => {
      const rows = await new ApiKeysRepository(context.pool()).list(options.operator ? { operatorId: options.operator } : {});
      for (const r of rows) {
        const state = r.revokedAt ? 'revoked' : r.expiresAt && r.expiresAt < new Date() ? 'expired' : 'active';
        context.print(`${r.id}\t${r.operatorId ?? r.regulatorId}\tsrs_${r.prefix}_…\t${r.scopes.join(',')}\t${state}\t${r.name}`);
      }
    });

  keys
    .command('revoke')
    .description('revoke a key at once')
    .argument('<id>', 'key id (see keys list)')
    .action(async (id: string) => {
      const revoked = await new ApiKeysRepository(context.pool()).revoke(id);
      if (!revoked) throw new Error(`no active key ${id}`);
      context.print(`revoked ${id}`);
    });
}
