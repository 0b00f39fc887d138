import { parentPort } from 'node:worker_threads';
import { classify } from '@srs/classifier';
import { analyseMessage } from '@srs/core';
import type { AnalysisRequest, AnalysisResult } from './analysis-pool';

/** Runs in a worker thread: the CPU part of the analysis, so the main thread keeps writing batches. */
parentPort?.on('message', (request: AnalysisRequest) => {
  const results: AnalysisResult[] = request.items.map((item) => {
    try {
      return { id: item.id, analysis: analyseMessage(item.body, { defaultCountry: item.country }, classify) };
    } catch (err) {
      return { id: item.id, error: err instanceof Error ? err.message : String(err) };
    }
  });
  parentPort!.postMessage({ seq: request.seq, results });
});
