export { AppError } from './app-error';
export { errorHandler, notFoundHandler, renderJsonError, toAppError, type ErrorBody, type ErrorRenderer } from './error-handler';
export { healthRouter, type ReadinessCheck } from './health';
export { httpLogger } from './http-logger';
export { requestId } from './request-id';
export { listen, type RunningServer } from './serve';
export { withHotRoutes, type HotRequest, type HotRoute, type RequestListener } from './hot-routes';
export { onShutdown } from './shutdown';
export { requireApiKey, type StoredApiKey } from './api-key-auth';
export { keyUsage } from './key-usage';
export {
  authFailureLimit,
  DEFAULT_AUTH_FAILURES_PER_MINUTE,
  type AuthFailureLimit,
  type AuthFailureLimitOptions,
} from './auth-failure-limit';
export { keyRateLimit, type KeyRateLimit, type KeyRateLimitOptions } from './key-rate-limit';
export { createServiceApp } from './service-app';
export { bearerMatches, Counter, createMetricsRegistry, Gauge, Histogram, httpMetrics, metricsRoute, Registry } from './metrics';
export { depthExceeds, jsonBody, MAX_JSON_DEPTH } from './json-body';
export { pathOfNul, rejectNulInUrl } from './nul-characters';
export { keepAliveGet } from './keep-alive-get';
export { answerDeadline } from './answer-deadline';
export { ApiDocument, errorBody, type ApiOperation, type OpenApiDocument, type SecurityRequirements } from './openapi/api-document';
export { openApiRoutes } from './openapi/openapi-routes';
