import { MSISDN_PATTERN } from '@srs/core';
import { AppError } from '@srs/http';
import { isUtf8 } from 'node:buffer';
import { parse as parseContentTypeHeader } from 'content-type';
import { z } from 'zod';
import { decodeField, parseFormFields, type RawFields } from '../form-fields';

/**
 * A mobile-originated message as Kannel's smsbox delivers it through get-url or
 * post-url, with the placeholders `from=%p&to=%P&text=%a&id=%I&smsc=%i&coding=%c&ts=%t`
 * (and optionally `charset=%C`). With post-url the text is the request body and
 * the other fields stay in the URL or arrive as X-Kannel-* headers.
 */
export const kannelMoSchema = z.object({
  from: z
    .string({ error: 'required: the subscriber number (%p)' })
    .transform((v) => v.replace(/\s/g, ''))
    .pipe(z.string().regex(MSISDN_PATTERN, 'must be a phone number: digits, optionally after +'))
    .meta({ description: 'the subscriber number, `%p`', example: '447700900111' }),
  to: z
    .string({ error: 'required: the short code (%P)' })
    .trim()
    .min(1, 'must not be empty')
    .max(20)
    .meta({ description: 'the short code, `%P`', example: '7726' }),
  text: z.string().default('').meta({ description: 'the message text, `%a` (with post-url: the request body)' }),
  id: z
    .string({ error: "required: Kannel's message id (%I)" })
    .trim()
    .min(1, 'must not be empty')
    .max(200)
    .meta({ description: 'Kannel’s message id, `%I`: redeliveries of one id are acknowledged once' }),
  smsc: z.string().trim().max(100).optional().meta({ description: 'the SMSC id, `%i`: chooses the connection (operator)' }),
  charset: z
    .string()
    .trim()
    .optional()
    .meta({ description: 'the text’s charset, `%C` (default UTF-8; UTF-16BE for a UCS-2 text that is not UTF-8)' }),
  coding: z
    .string()
    .trim()
    .optional()
    .meta({ description: 'the data coding, `%c`: 0 GSM 7-bit, 1 8-bit, 2 UCS-2' })
    .transform((v, ctx) => {
      if (v === undefined || v === '' || v === '-1') return null;
      const coding = ({ '0': 'gsm7', '1': '8bit', '2': 'ucs2' } as const)[v];
      if (!coding) {
        ctx.addIssue({ code: 'custom', message: 'must be 0 (7-bit), 1 (8-bit) or 2 (UCS-2)' });
        return z.NEVER;
      }
      return coding;
    }),
  ts: z
    .string()
    .optional()
    .transform(parseKannelTime)
    .meta({ description: 'when the SMSC received it, `%t` (UTC) or `%T` (Unix seconds); unreadable: the arrival time' }),
});
export type KannelMo = z.output<typeof kannelMoSchema>;

const HEADER_FIELDS: Record<string, string> = {
  from: 'x-kannel-from',
  to: 'x-kannel-to',
  smsc: 'x-kannel-smsc',
  coding: 'x-kannel-coding',
  ts: 'x-kannel-time',
};

/** The X-Kannel-* headers post-url sends, each read when the query string lacks its field. */
export const kannelMoHeaders = z.object(
  Object.fromEntries(
    Object.entries(HEADER_FIELDS).map(([field, header]) => [
      header,
      z
        .string()
        .optional()
        .meta({ description: `\`${field}\`, when the query string has none` }),
    ]),
  ),
);

/** What the Kannel route reads of a request, whether express (post-url) or a hot route (get-url) serves it. */
export interface KannelRequest {
  method: string;
  /** everything after `?`, undecoded */
  rawQuery: string;
  /** a POST's raw body */
  body?: Buffer | undefined;
  header(name: string): string | undefined;
  remoteAddress: string | undefined;
}

/** Reads the fields from the query string, the body and Kannel's headers, and validates them. */
export function readKannelMo(req: KannelRequest, maxQueryBytes: number): KannelMo {
  const rawQuery = req.rawQuery;
  if (rawQuery.length > maxQueryBytes) {
    throw AppError.badRequest('query_too_large', 'query string is larger than this endpoint accepts', 'query');
  }
  const raw = parseFormFields(rawQuery);
  const body = req.body;
  if (req.method === 'POST' && body && body.length > 0) mergeBody(raw, body, req.header('content-type'));

  const charset = raw.has('charset') ? decodeField('charset', raw.get('charset')!).trim() || 'utf-8' : textCharset(raw);
  const fields: Record<string, string> = {};
  for (const [name, bytes] of raw) {
    fields[name] = decodeField(name, bytes, name === 'text' ? charset : 'utf-8');
  }
  for (const [field, header] of Object.entries(HEADER_FIELDS)) {
    const value = req.header(header);
    if (fields[field] === undefined && value !== undefined) fields[field] = value;
  }
  return kannelMoSchema.parse(fields);
}

/**
 * Without `mo-recode` Kannel hands UCS-2 messages over as raw UTF-16BE bytes
 * and says so only with coding=2: read them as such when they are not UTF-8.
 */
function textCharset(raw: RawFields): string {
  const coding = raw.get('coding')?.toString('latin1').trim();
  const text = raw.get('text');
  if (coding === '2' && text && text.length % 2 === 0 && !isUtf8(text)) return 'utf-16be';
  return 'utf-8';
}

/** Form and JSON bodies carry fields; any other body (Kannel's post-url sends text/plain) is the message text. */
function mergeBody(raw: RawFields, body: Buffer, header: string | undefined): void {
  const type = parseContentType(header);
  if (type.type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of parseFormFields(body.toString('latin1'))) raw.set(name, value);
    return;
  }
  if (type.type === 'application/json') {
    for (const [name, value] of Object.entries(parseJsonObject(body))) {
      if (typeof value === 'string' || typeof value === 'number') raw.set(name, Buffer.from(String(value), 'utf8'));
    }
    return;
  }
  if (type.charset && !raw.has('charset')) raw.set('charset', Buffer.from(type.charset));
  raw.set('text', body);
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeField('body', body));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw AppError.badRequest('malformed_body', 'request body is not valid JSON', 'body');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw AppError.badRequest('malformed_body', 'request body must be a JSON object of fields', 'body');
  }
  return parsed as Record<string, unknown>;
}

function parseContentType(header: string | undefined): { type: string; charset?: string } {
  if (!header) return { type: 'text/plain' };
  try {
    const parsed = parseContentTypeHeader(header);
    return { type: parsed.type, ...(parsed.parameters.charset ? { charset: parsed.parameters.charset } : {}) };
  } catch {
    throw AppError.badRequest('invalid_content_type', 'Content-Type header is malformed', 'content-type');
  }
}

/**
 * Kannel's %t is "YYYY-MM-DD HH:MM:SS" in UTC, %T is Unix seconds; ISO 8601 is
 * accepted too. A time we cannot read is not worth losing a report over: the
 * arrival time is used instead.
 */
export function parseKannelTime(value: string | undefined): Date | null {
  if (!value) return null;
  const v = value.trim();
  let ms: number;
  if (/^\d{9,11}$/.test(v)) ms = Number(v) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v)) ms = Date.parse(`${v.replace(' ', 'T')}Z`);
  else ms = Date.parse(v);
  if (!Number.isFinite(ms)) return null;
  return new Date(ms);
}
