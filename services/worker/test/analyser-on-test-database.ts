import type { Config } from '@srs/config';
import type { TextClassification } from '@srs/core';
import { AnalysisRepository, ReportsRepository } from '@srs/db';
import { capturingLogger, createTestDatabase, type TestDatabase } from '@srs/testkit';
import { BatchAnalyser } from '../src/analysis/batch-analyser';

export interface AnalyserOnTestDatabase {
  db: TestDatabase;
  reports: ReportsRepository;
  analyser: BatchAnalyser;
}

/** A batch analyser over a database of its own, classifying with a stand-in, its allowlist seeded: where the analyser's tests start. */
export async function analyserOnTestDatabase(
  config: Config,
  classify: (text: string) => TextClassification,
): Promise<AnalyserOnTestDatabase> {
  const db = await createTestDatabase();
  const analyser = new BatchAnalyser({
    repository: new AnalysisRepository(db.pool),
    config,
    logger: capturingLogger('worker').logger,
    classify,
  });
  await analyser.seedAllowlist();
  return { db, reports: new ReportsRepository(db.pool), analyser };
}
