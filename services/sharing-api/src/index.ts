/**
 * The sharing API as a library, for the benchmarks and tools that run it in
 * process: its app and the feed's cursor encoding. `main.ts` is the deployable.
 */
export { createSharingApp, type SharingDeps } from './app';
export { encodeCursor } from './feed/cursor';
export { sealedIds, type SealedIds } from './feed/sealed-ids';
export { openApiDocument } from './openapi/document';
