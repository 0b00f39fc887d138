import { SPAM_CATEGORIES, type SpamCategory } from '@srs/core';
import type { PostedStix } from '@srs/db';
import { z } from 'zod';
import { publishIndicatorBody, type PublishIndicatorBody } from '../publish/indicator-input';
import { STIX_ID } from './ids';
import { parseIndicatorPattern } from './patterns';
import { tlpOfMarkingRefs } from './tlp';
import { validatorFindings } from './validator-rules';

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an RFC 3339 UTC timestamp');
/** The server keeps versions to the microsecond (PostgreSQL's precision), so match[version] finds exactly the version sent. */
const versionTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/, 'an RFC 3339 UTC timestamp, at most to the microsecond');

/** What this server reads of a STIX indicator; any other property is allowed and ignored. */
const stixIndicatorInput = z.looseObject({
  type: z.literal('indicator'),
  spec_version: z.literal('2.1'),
  id: z
    .string()
    .transform((id) => id.toLowerCase())
    .refine((id) => STIX_ID.test(id) && id.startsWith('indicator--'), 'an indicator id, indicator--<uuid>'),
  created: versionTimestamp,
  modified: versionTimestamp,
  pattern: z.string().min(1).max(4096),
  pattern_type: z.literal('stix'),
  valid_from: timestamp,
  valid_until: timestamp.optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  labels: z.array(z.string()).optional(),
  description: z.string().optional(),
  revoked: z.boolean().optional(),
  object_marking_refs: z.array(z.string()).optional(),
});

export type IndicatorInput =
  | { ok: true; id: string; version: string; revoked: true; posted: PostedStix }
  | { ok: true; id: string; version: string; revoked: false; publish: PublishIndicatorBody; posted: PostedStix }
  | { ok: false; id: string; version?: string; message: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue?.path.join('.');
  return field ? `${field}: ${issue?.message}` : (issue?.message ?? 'invalid');
}

/**
 * A STIX indicator an operator POSTs, as what publishing it needs: one SMS
 * observable compared for equality, a TLP marking (nothing is shared unmarked),
 * the category among its labels. The value is then checked and put in
 * canonical form exactly as POST /v1/indicators does.
 */
export function indicatorInput(object: unknown): IndicatorInput {
  const record = (object ?? {}) as Record<string, unknown>;
  const claimedId = typeof record.id === 'string' ? record.id : '';
  const claimedVersion =
    typeof record.modified === 'string' ? record.modified : typeof record.created === 'string' ? record.created : undefined;
  const fail = (message: string): IndicatorInput => ({
    ok: false,
    id: claimedId,
    ...(claimedVersion ? { version: claimedVersion } : {}),
    message,
  });
  if (record.type !== 'indicator')
    return fail(`only indicators can be added to a collection, not ${String(record.type ?? 'untyped objects')}`);
  const parsed = stixIndicatorInput.safeParse(object);
  if (!parsed.success) return fail(firstIssue(parsed.error));
  const stix = parsed.data;
  if (Date.parse(stix.modified) < Date.parse(stix.created)) return fail('modified: earlier than created');
  // Kept as sent; only the id is written in lower case, as the server looks ids up.
  const posted: PostedStix = { object: { ...record, id: stix.id }, created: stix.created, modified: stix.modified };
  // Served as sent, so it must be as clean as what the server writes itself.
  const finding = validatorFindings(posted.object)[0];
  if (finding) return fail(`the STIX validator would warn: ${finding}`);
  if (stix.revoked) return { ok: true, id: stix.id, version: stix.modified, revoked: true, posted };
  const tlp = tlpOfMarkingRefs(stix.object_marking_refs ?? []);
  if (!tlp) return fail('object_marking_refs: mark the indicator with a TLP marking definition');
  const observable = parseIndicatorPattern(stix.pattern);
  if (!observable) return fail("pattern: not one SMS observable compared for equality, e.g. [domain-name:value = 'fee.example']");
  const body = publishIndicatorBody.safeParse({
    id: stix.id,
    type: observable.type,
    value: observable.value,
    category: stix.labels?.find((label): label is SpamCategory => (SPAM_CATEGORIES as readonly string[]).includes(label)) ?? 'other',
    tlp,
    ...(stix.confidence !== undefined ? { confidence: stix.confidence / 100 } : {}),
    ...(stix.description !== undefined ? { description: stix.description } : {}),
    ...(stix.valid_until !== undefined ? { valid_until: stix.valid_until } : {}),
  });
  if (!body.success) return fail(firstIssue(body.error));
  return { ok: true, id: stix.id, version: stix.modified, revoked: false, publish: body.data, posted };
}
