import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertLiteralTargetAllowed, guardedLookup } from './target-guard';

export interface PostAnswer {
  status: number;
  retryAfter: string | undefined;
  /** the start of the answer's body, for the attempt record */
  body: string;
}

/** How much of a receiver's answer is read and kept: enough to diagnose, never a receiver's whole page. */
const BODY_KEPT = 1024;

/**
 * POSTs one webhook. node:http rather than fetch, for two reasons: the
 * connection resolves its host through the SSRF guard (no window between
 * checking an address and connecting to another), and redirects are never
 * followed (a 3xx could point anywhere, and counts as a failed attempt).
 * The timeout covers the whole exchange; each attempt opens its own
 * connection, so each one resolves and is checked afresh.
 */
export async function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivateTargets: boolean },
): Promise<PostAnswer> {
  assertLiteralTargetAllowed(url, options.allowPrivateTargets);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    return await new Promise<PostAnswer>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: false,
          lookup: guardedLookup(options.allowPrivateTargets),
          signal,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'srs-webhooks/1',
          },
        },
        (res) => readAnswer(res).then(resolve, reject),
      );
      req.on('error', reject);
      req.end(body);
    });
  } catch (err) {
    if (signal.aborted) throw new Error(`no answer within ${options.timeoutMs} ms`, { cause: err });
    throw err;
  }
}

async function readAnswer(res: IncomingMessage): Promise<PostAnswer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const buffer = chunk as Buffer;
    if (size < BODY_KEPT) chunks.push(buffer);
    size += buffer.length;
    // Past what is kept the rest is not worth reading; the connection is not reused anyway.
    if (size >= BODY_KEPT) {
      res.destroy();
      break;
    }
  }
  const retryAfter = res.headers['retry-after'];
  return {
    status: res.statusCode ?? 0,
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_KEPT),
  };
}
