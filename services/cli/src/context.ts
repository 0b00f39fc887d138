import type { Config } from '@srs/config';
import { createPool, type Pool } from '@srs/db';

/** What every command needs, created lazily so `--help` works without a database. */
export interface CliContext {
  config: Config;
  pool(): Pool;
  print(line: string): void;
  close(): Promise<void>;
}

export function createContext(config: Config, out: (line: string) => void): CliContext {
  let pool: Pool | undefined;
  return {
    config,
    pool: () => (pool ??= createPool({ url: config.database.url, max: 2, applicationName: 'srs-cli' })),
    print: out,
    close: async () => {
      await pool?.end();
    },
  };
}
