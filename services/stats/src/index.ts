/** The statistics API as a library, for the benchmarks that run it in process. `main.ts` is the deployable. */
export { createStatsApp, type StatsDeps } from './app';
export { openApiDocument } from './openapi/document';
