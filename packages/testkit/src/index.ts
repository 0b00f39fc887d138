export { freePort, testMsisdn, uniqueSuffix } from './ids';
export { createTestDatabase, baseDatabaseUrl, type TestDatabase } from './test-database';
export { testConfig } from './test-config';
export { capturingLogger } from './log-capture';
export { startKannel, kannelInstalled, kannelRepliesTo, KANNEL_HARNESS_DIR, type KannelHarness, type KannelReply } from './kannel';
export { startDisposableRedis, type DisposableRedis } from './redis-server';
export { startRedisCluster, type RedisClusterHarness } from './redis-cluster';
export { startSendsmsRecorder, type SendsmsRecorder, type SendsmsRecorderOptions, type RecordedSms } from './sendsms-recorder';
export {
  startService,
  startProcessDeployment,
  startServiceOnFreePort,
  startIntakesAndWorkers,
  stopServices,
  waitForHttp,
  REPO_ROOT,
  SHARED_MACHINE_ENV,
  type ProcessDeployment,
  type ServiceAt,
  type ServiceProcess,
} from './service-process';
export {
  startTestContext,
  startTestApp,
  type AppDeps,
  type TestApp,
  type TestAppOptions,
  type TestContext,
  type TestContextOptions,
} from './test-app';
export { eventually } from './eventually';
export {
  startSmscFake,
  netSmppInstalled,
  SMSC_FAKE_SCRIPT,
  type SmscFake,
  type SmscEvent,
  type SmscSubmit,
  type SmscDeliver,
} from './smsc-fake';
export { testReport } from './test-report';
export { testInboxEntry } from './test-inbox-entry';
export { parseMetrics, sumSamples, type MetricSample } from './prometheus-text';
export { deriveHiddenCells, type PublishedSum } from './disclosure-attack';
export { seedOperatorVerdict, type VerdictSeed } from './operator-verdicts';
export { deleteRedisPrefix, deleteRedisPrefixAt, readInbox } from './redis-keys';
