export { ensureLocalServices, PROJECT_ROOT, DEFAULT_DATA_DIR, type LocalServices } from './local-services';
export { ensurePostgres, postgresAnswers } from './postgres';
export { ensureRedis, redisAnswers } from './redis';
export { type LocalService, type Log } from './processes';
export { ensureKannelMoToken, readKannelMoToken } from './kannel-token';
export { ensureTestTools, missingTestTools } from './test-tools';
