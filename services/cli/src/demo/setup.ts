import { ApiKeysRepository, ParticipantsRepository, seedDemoConsortium, type Pool } from '@srs/db';
import type { DemoOperator } from './operators';

export interface DemoKeys {
  /** each operator's app API key */
  keys: Map<string, string>;
  /** revokes them: the demo needs them only while it sends */
  revoke(): Promise<void>;
}

/**
 * The demo's operators in the database (the seeded consortium and the two the
 * demo adds) and a key with scope report for each, made like `keys create`
 * makes them and expiring after a day should the run be cut short.
 */
export async function prepareOperators(pool: Pool, operators: readonly DemoOperator[]): Promise<DemoKeys> {
  try {
    await seedDemoConsortium(pool);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `cannot prepare the demo operators (${message}); is the database migrated? npm start does it, or: npm run -s srs -- migrate`,
      { cause: err },
    );
  }
  const participants = new ParticipantsRepository(pool);
  const keys = new Map<string, string>();
  const ids: string[] = [];
  const apiKeys = new ApiKeysRepository(pool);
  for (const op of operators) {
    await participants.upsertOperator({ id: op.id, name: op.name, country: op.country });
    const { row, key } = await apiKeys.issue({ operatorId: op.id }, { scopes: ['report', 'attest'], name: 'srs demo', expiresInDays: 1 });
    keys.set(op.id, key);
    ids.push(row.id);
  }
  return {
    keys,
    revoke: async () => {
      for (const id of ids) await apiKeys.revoke(id);
    },
  };
}
