import { z } from 'zod';
import { SHARING_SCOPES } from '../tenancy/tenant-auth';

/** The shapes of /v1/keys, for the OpenAPI document (keys/key-json.ts makes them). */
export const apiKey = z
  .object({
    id: z.string().meta({ description: 'what DELETE /v1/keys/{id} takes', example: 'key_3f9c2a7d1e4b8a60' }),
    name: z.string(),
    prefix: z.string().meta({
      description: 'how the key begins (`srs_` and its 10-character prefix), not secret: its holder tells which key is theirs by it',
      example: 'srs_AbCdEfGhIj',
    }),
    scopes: z.array(z.enum(['report', 'attest', ...SHARING_SCOPES])).meta({
      description: 'keys the CLI made may also hold the intake’s `report` and `attest`',
    }),
    status: z.enum(['active', 'revoked', 'expired']),
    current: z.boolean().meta({ description: 'true for the key this request was made with' }),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable().meta({ description: 'not recorded yet: always null' }),
    expires_at: z.iso.datetime().nullable(),
    revoked_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const apiKeyList = z
  .object({ data: z.array(apiKey).meta({ description: 'newest first, revoked and expired ones included' }) })
  .meta({ id: 'ApiKeyList' });

export const newApiKey = apiKey
  .extend({
    key: z.string().meta({
      description: 'the key itself, shown in this answer only (only its SHA-256 is stored): send it as Authorization: Bearer <key>',
      example: 'srs_AbCdEfGhIj_0123456789abcdefghijklmnopqrstuv',
    }),
  })
  .meta({ id: 'NewApiKey' });
