import { parentPort } from 'node:worker_threads';
import { classify } from '@srs/classifier';
import { analyseMessage, boundedMemo } from '@srs/core';
import type { AnalysisRequest, AnalysisResult } from './analysis-pool';

/**
 * A campaign sends the same text to thousands of subscribers, and each of them
 * may report it: the analysis of a text is a pure function of the text and
 * the operator's country, so the recent ones are remembered. Results are sent
 * to the main thread as copies, so the remembered ones stay untouched.
 */
const analyse = boundedMemo((key: string) => {
  const split = key.indexOf('\u0000');
  return analyseMessage(key.slice(split + 1), { defaultCountry: key.slice(0, split) }, classify);
}, 5000);

/** Runs in a worker thread: the CPU part of the analysis, so the main thread keeps writing batches. */
parentPort?.on('message', (request: AnalysisRequest) => {
  const results: AnalysisResult[] = request.items.map((item) => {
    try {
      return { id: item.id, analysis: analyse(`${item.country}\u0000${item.body}`) };
    } catch (err) {
      return { id: item.id, error: err instanceof Error ? err.message : String(err) };
    }
  });
  parentPort!.postMessage({ seq: request.seq, results });
});
