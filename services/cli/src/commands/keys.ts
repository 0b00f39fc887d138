import { Command, InvalidArgumentError } from 'commander';
import { ApiKeysRepository, ParticipantsRepository, type ApiScope } from '@srs/db';
import { newKeyLines } from '../api-keys';
import type { CliContext } from '../context';
import { days } from '../options';

/**
 * Operator scopes; `stats` belongs to regulator keys, made with `regulators create`.
 * `attest` (with `report`): the operator verified the reporter numbers the key sends.
 */
const SCOPES: ApiScope[] = ['report', 'attest', 'read', 'publish', 'feedback', 'admin'];

function scopes(value: string): ApiScope[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((s) => !SCOPES.includes(s as ApiScope));
  if (list.length === 0 || unknown.length) throw new InvalidArgumentError(`scopes are a comma-separated list of ${SCOPES.join(', ')}`);
  return list as ApiScope[];
}

export function registerKeyCommands(program: Command, context: CliContext): void {
  const keys = program.command('keys').description('API keys of operators and regulators');

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
      const { row, key } = await new ApiKeysRepository(pool).issue({ operatorId: operator.id }, options);
      for (const line of newKeyLines(row, key)) context.print(line);
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves)')
    .option('--operator <id>', 'only this operator')
    .option('--regulator <id>', 'only this regulator')
    .action(async (options: { operator?: string; regulator?: string }) => {
      if (options.operator && options.regulator) throw new Error('give --operator or --regulator, not both');
      const rows = await new ApiKeysRepository(context.pool()).list(options.operator ? { operatorId: options.operator } : {});
      for (const r of rows) {
        if (options.regulator && r.regulatorId !== options.regulator) continue;
        const state = r.revokedAt ? 'revoked' : r.expiresAt && r.expiresAt < new Date() ? 'expired' : 'active';
        const owner = r.operatorId ?? `regulator:${r.regulatorId}`;
        context.print(`${r.id}\t${owner}\tsrs_${r.prefix}_…\t${r.scopes.join(',')}\t${state}\t${r.name}`);
      }
    });

  keys
    .command('revoke')
    .description("revoke a key at once (an operator's or a regulator's)")
    .argument('<id>', 'key id (see keys list)')
    .action(async (id: string) => {
      const revoked = await new ApiKeysRepository(context.pool()).revoke(id);
      if (!revoked) throw new Error(`no active key ${id}`);
      context.print(`revoked ${id}`);
    });
}
