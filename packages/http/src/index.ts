export { AppError } from './app-error';
export { errorHandler, notFoundHandler, toAppError, type ErrorBody } from './error-handler';
export { healthRouter, type ReadinessCheck } from './health';
export { httpLogger } from './http-logger';
export { requestId } from './request-id';
export { listen, type RunningServer } from './serve';
export { onShutdown } from './shutdown';
export { requireApiKey, type StoredApiKey } from './api-key-auth';
export { keyRateLimit, type KeyRateLimitOptions } from './key-rate-limit';
