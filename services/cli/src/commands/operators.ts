import { Command, InvalidArgumentError } from 'commander';
import { ParticipantsRepository } from '@srs/db';
import type { CliContext } from '../context';

const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

function operatorId(value: string): string {
  if (!ID.test(value)) throw new InvalidArgumentError('lower-case letters, digits and dashes, 2 to 63 characters');
  return value;
}

function country(value: string): string {
  const upper = value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) throw new InvalidArgumentError('an ISO 3166 two-letter code, e.g. GB');
  return upper;
}

/** The name as id: "Demo Mobile UK" → "demo-mobile-uk". */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

export function registerOperatorCommands(program: Command, context: CliContext): void {
  const operators = program.command('operators').description('the operators of the consortium');

  operators
    .command('create')
    .description('add an operator (or rename it when the id exists)')
    .requiredOption('--name <name>', 'display name')
    .option('--country <code>', "ISO 3166 country of its subscribers (default: the deployment's OPERATOR_COUNTRY)", country)
    .option('--id <id>', 'identifier used in configuration (default: from the name)', operatorId)
    .action(async (options: { name: string; country?: string; id?: string }) => {
      const id = options.id ?? operatorId(slug(options.name));
      const row = await new ParticipantsRepository(context.pool()).upsertOperator({
        id,
        name: options.name,
        country: options.country ?? context.config.operator.country,
      });
      context.print(`operator ${row.id} (${row.country}) ${row.name}`);
      context.print(row.id);
    });

  operators
    .command('list')
    .description('list operators')
    .action(async () => {
      for (const op of await new ParticipantsRepository(context.pool()).listOperators()) {
        context.print(`${op.id}\t${op.country}\t${op.name}`);
      }
    });
}
