import type { Command } from 'commander';
import { ApiKeysRepository, ParticipantsRepository } from '@srs/db';
import { newKeyLines } from '../api-keys';
import type { CliContext } from '../context';
import { country, days, displayName, idFromName, participantId } from '../options';

export function registerRegulatorCommands(program: Command, context: CliContext): void {
  const regulators = program.command('regulators').description('the regulators that read the statistics');

  regulators
    .command('create')
    .description('add a regulator (or rename it when the id exists) and make it a stats key, printed once, alone on the last line')
    .requiredOption('--name <name>', 'display name', displayName)
    .option('--country <code>', 'ISO 3166 country it regulates (default: none, or the one it has)', country)
    .option('--id <id>', 'identifier (default: from the name)', participantId)
    .option('--expires-in-days <n>', 'expire the key after this many days', days)
    .action(async (options: { name: string; country?: string; id?: string; expiresInDays?: number }) => {
      const pool = context.pool();
      const participants = new ParticipantsRepository(pool);
      const id = idFromName(options.id, options.name);
      // Re-running create for a regulator (to get another key) keeps the country it was given.
      const existing = await participants.findRegulator(id);
      const row = await participants.upsertRegulator({ id, name: options.name, country: options.country ?? existing?.country ?? null });
      context.print(`regulator ${row.id} (${row.country ?? 'no country'}) ${row.name}`);
      // Scope stats only: a regulator reads aggregates and nothing else (no reports, no feeds).
      const { row: key, key: secret } = await new ApiKeysRepository(pool).issue(
        { regulatorId: row.id },
        { scopes: ['stats'], name: 'statistics', expiresInDays: options.expiresInDays },
      );
      for (const line of newKeyLines(key, secret)) context.print(line);
    });

  regulators
    .command('list')
    .description('list regulators')
    .action(async () => {
      for (const reg of await new ParticipantsRepository(context.pool()).listRegulators()) {
        context.print(`${reg.id}\t${reg.country ?? '-'}\t${reg.name}`);
      }
    });
}
