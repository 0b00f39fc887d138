import { parentPort } from 'node:worker_threads';
import { createClassifier, defaultClassifier, type SpamClassifier } from '@srs/classifier';
import { analyseMessage, boundedMemo } from '@srs/core';
import type { AnalysisRequest, AnalysisResult, ModelMessage } from './message-analysis-pool';

/** The model this thread classifies with: the shipped one until told otherwise (MessageAnalysisPool.useModel). */
let classifier: SpamClassifier | undefined;
const classify = (text: string) => (classifier ??= defaultClassifier()).classify(text);

/**
 * A campaign sends the same text to thousands of subscribers, and each of them
 * may report it: the analysis of a text is a pure function of the text, the
 * operator's country and the model, so the recent ones are remembered (and
 * forgotten when the model changes). Results are sent to the main thread as
 * copies, so the remembered ones stay untouched.
 */
const remember = () =>
  boundedMemo((key: string) => {
    const split = key.indexOf('\u0000');
    return analyseMessage(key.slice(split + 1), { defaultCountry: key.slice(0, split) }, classify);
  }, 5000);
let analyse = remember();

/** Entry point of a message-analysis thread (MessageAnalysisPool): the CPU part of the analysis, so the batch analyser keeps writing batches. */
parentPort?.on('message', (message: AnalysisRequest | ModelMessage) => {
  if ('type' in message) {
    classifier = message.model ? createClassifier(message.model) : defaultClassifier();
    analyse = remember();
    return;
  }
  const request = message;
  const results: AnalysisResult[] = request.items.map((item) => {
    try {
      return { id: item.id, analysis: analyse(`${item.country}\u0000${item.body}`) };
    } catch (err) {
      return { id: item.id, error: err instanceof Error ? err.message : String(err) };
    }
  });
  parentPort!.postMessage({ seq: request.seq, results });
});
