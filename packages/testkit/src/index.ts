export { freePort, testMsisdn, uniqueSuffix } from './ids';
export { createTestDatabase, baseDatabaseUrl, type TestDatabase } from './test-database';
export { testConfig } from './test-config';
export { capturingLogger } from './log-capture';
export { startKannel, kannelInstalled, KANNEL_HARNESS_DIR, type KannelHarness } from './kannel';
export { startDisposableRedis, type DisposableRedis } from './redis-server';
export { startSendsmsRecorder, type SendsmsRecorder, type RecordedSms } from './sendsms-recorder';
export { startService, waitForHttp, REPO_ROOT, type ServiceProcess } from './service-process';
export { eventually } from './eventually';
