export { createLogger, REDACTED_PATHS, type Logger, type LoggerSettings } from './logger';
export { scrubDeep, scrubString, MASK } from './scrub';
