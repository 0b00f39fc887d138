import { AppError } from '@srs/http';
import type { RequestHandler, Response } from 'express';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseMediaRange(text: string): MediaRange | undefined {
  const [essence, ...rawParams] = text.split(';').map((part) => part.trim());
  if (!essence || !/^[\w.+*-]+\/[\w.+*-]+$/.test(essence)) return undefined;
  const params = new Map<string, string>();
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq > 0)
      params.set(
        raw.slice(0, eq).trim().toLowerCase(),
        raw
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  const q = params.has('q') ? Number(params.get('q')) : 1;
  params.delete('q');
  return { type: essence.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
}

/** TAXII 2.1 without a version parameter means the latest TAXII, which is 2.1 here. */
function isTaxii21(range: MediaRange): boolean {
  const version = range.params.get('version');
  return range.type === 'application/taxii+json' && (version === undefined || version === '2.1');
}

/** Whether an Accept header lets this server answer with TAXII 2.1 (wildcards do; TAXII clients must send one). */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .map(parseMediaRange)
    .some((range) => range !== undefined && range.q > 0 && (isTaxii21(range) || range.type === '*/*' || range.type === 'application/*'));
}

export function isTaxiiContentType(contentType: string | undefined): boolean {
  const range = contentType ? parseMediaRange(contentType) : undefined;
  return range !== undefined && isTaxii21(range);
}

export const requireTaxiiAccept: RequestHandler = (req, _res, next) => {
  if (!acceptsTaxii(req.header('accept'))) {
    throw new AppError(406, 'not_acceptable', `this server answers ${TAXII_MEDIA_TYPE} only: send it in Accept`, 'accept');
  }
  next();
};

export const requireTaxiiContentType: RequestHandler = (req, _res, next) => {
  if (!isTaxiiContentType(req.header('content-type'))) {
    throw new AppError(415, 'unsupported_media_type', `send the envelope as Content-Type: ${TAXII_MEDIA_TYPE}`, 'content-type');
  }
  next();
};

/** A TAXII resource; sent as bytes so Express adds no charset parameter to the TAXII media type. */
export function sendTaxii(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .status(status)
    .set(headers)
    .set('Content-Type', TAXII_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify(body), 'utf8'));
}
