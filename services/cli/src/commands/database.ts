import type { Command } from 'commander';
import { ensureDatabase, migrate, seedDemoConsortium } from '@srs/db';
import type { CliContext } from '../context';

export function registerDatabaseCommands(program: Command, context: CliContext): void {
  program
    .command('migrate')
    .description('create the database if needed and apply pending migrations')
    .action(async () => {
      await ensureDatabase(context.config.database.url);
      const applied = await migrate(context.pool());
      context.print(applied.length ? `applied migrations ${applied.join(', ')}` : 'schema is up to date');
    });

  program
    .command('seed')
    .description('add the demo consortium: operators demo-uk and demo-fr, regulator demo-regulator')
    .action(async () => {
      await seedDemoConsortium(context.pool());
      context.print('demo consortium seeded');
    });
}
