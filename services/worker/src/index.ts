/**
 * The worker as a library, for the benchmarks and tools that run its parts in
 * process. `main.ts` is the deployable.
 */
export { startWorkers, type RunningWorkers } from './workers';
export { MicroBatcher } from './handlers/micro-batcher';
export { COUNT_BATCH } from './statistics/stats-rollup';
