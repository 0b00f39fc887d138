import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelData } from '@srs/classifier';
import type { MessageAnalysis } from '@srs/core';

export interface AnalysisItem {
  id: number;
  body: string;
  country: string;
}
export interface AnalysisRequest {
  seq: number;
  items: AnalysisItem[];
}
/** Tells a thread which model to classify with from now on: its JSON, or null for the shipped one. */
export interface ModelMessage {
  type: 'model';
  model: ModelData | null;
}
export type AnalysisResult =
  { id: number; analysis: MessageAnalysis; error?: undefined } | { id: number; error: string; analysis?: undefined };

const THREAD_SCRIPT = path.join(__dirname, 'message-analysis-thread-entry.js');

/**
 * The batch analyser's handle on its message-analysis threads (entry point:
 * message-analysis-thread-entry.ts), which classify and extract, a slice of
 * each batch per thread.
 * Only the built service has the thread script; run from sources (tests), the
 * analyser does the same work on its own thread instead.
 */
export class MessageAnalysisPool {
  private readonly threads: Worker[];
  private readonly waiting = new Map<number, { resolve: (results: AnalysisResult[]) => void; reject: (err: Error) => void }>();
  private seq = 0;

  static available(): boolean {
    return existsSync(THREAD_SCRIPT);
  }

  constructor(size: number) {
    this.threads = Array.from({ length: size }, () => {
      const thread = new Worker(THREAD_SCRIPT);
      thread.on('message', (message: { seq: number; results: AnalysisResult[] }) => {
        this.waiting.get(message.seq)?.resolve(message.results);
        this.waiting.delete(message.seq);
      });
      // A thread that dies fails what waits on the pool; the analyser retries the batch.
      thread.on('error', (err) => {
        for (const [seq, w] of this.waiting) {
          w.reject(err);
          this.waiting.delete(seq);
        }
      });
      thread.unref();
      return thread;
    });
  }

  /**
   * Every thread classifies with `model` from now on (the active model
   * changed): a thread takes its messages in order, so every request posted
   * after this one uses it.
   */
  useModel(model: ModelData | null): void {
    for (const thread of this.threads) thread.postMessage({ type: 'model', model } satisfies ModelMessage);
  }

  async analyse(items: AnalysisItem[]): Promise<AnalysisResult[]> {
    const per = Math.ceil(items.length / this.threads.length);
    const parts = await Promise.all(
      this.threads.map((thread, i) => {
        const slice = items.slice(i * per, (i + 1) * per);
        if (slice.length === 0) return Promise.resolve([] as AnalysisResult[]);
        const seq = ++this.seq;
        return new Promise<AnalysisResult[]>((resolve, reject) => {
          this.waiting.set(seq, { resolve, reject });
          thread.postMessage({ seq, items: slice } satisfies AnalysisRequest);
        });
      }),
    );
    return parts.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}
