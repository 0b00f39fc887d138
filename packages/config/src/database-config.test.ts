import { loadConfig } from './config';

describe('loadConfig: database', () => {
  it('reads the statistics from DATABASE_URL unless a replica is named', () => {
    expect(loadConfig({}).database.replicaUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_REPLICA_URL: '' }).database.replicaUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_REPLICA_URL: 'postgres://reader@replica.internal:5432/srs' }).database.replicaUrl).toBe(
      'postgres://reader@replica.internal:5432/srs',
    );
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'mysql://replica/srs' })).toThrow(/DATABASE_REPLICA_URL/);
  });

  it('makes three months of partitions ahead by default, at most 24', () => {
    expect(loadConfig({}).database.partitionPremakeMonths).toBe(3);
    expect(loadConfig({ PARTITION_PREMAKE_MONTHS: '0' }).database.partitionPremakeMonths).toBe(0);
    expect(() => loadConfig({ PARTITION_PREMAKE_MONTHS: '25' })).toThrow(/PARTITION_PREMAKE_MONTHS/);
    expect(() => loadConfig({ PARTITION_PREMAKE_MONTHS: '-1' })).toThrow(/PARTITION_PREMAKE_MONTHS/);
  });
});
