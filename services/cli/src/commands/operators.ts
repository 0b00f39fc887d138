import type { Command } from 'commander';
import { ParticipantsRepository } from '@srs/db';
import type { CliContext } from '../context';
import { country, displayName, idFromName, participantId } from '../options';

export function registerOperatorCommands(program: Command, context: CliContext): void {
  const operators = program.command('operators').description('the operators of the consortium');

  operators
    .command('create')
    .description('add an operator (or rename it when the id exists)')
    .requiredOption('--name <name>', 'display name', displayName)
    .option('--country <code>', "ISO 3166 country of its subscribers (default: the deployment's OPERATOR_COUNTRY)", country)
    .option('--id <id>', 'identifier used in configuration (default: from the name)', participantId)
    .action(async (options: { name: string; country?: string; id?: string }) => {
      const id = idFromName(options.id, options.name);
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
