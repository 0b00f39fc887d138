import { PHONE_NUMBER, SENDER_ID, SENDER_TYPES } from '@srs/core';
import { CONSORTIUM_IDENTITY_ID } from './ids';
import { tlpMarkingRef } from './tlp';
import type { StixObject } from './types';

/**
 * STIX 2.1 has no observable for a phone number or an SMS sender ID, which is
 * most of what SMS spam is made of. The project declares two, `phone-number`
 * and `sender-id`, with this extension definition; indicator patterns use
 * them, and every collection serves the definition so a consumer can look it up.
 * The id is a random UUIDv4 (as STIX asks of meta objects), fixed for good: consumers key on it.
 */
export const SMS_OBSERVABLES_EXTENSION_ID = 'extension-definition--50f11798-51cb-4a79-a8a2-8d6d83b44bc8';
export const SMS_OBSERVABLES_CREATED = '2025-01-01T00:00:00.000Z';

export { PHONE_NUMBER, SENDER_ID, SENDER_TYPES, type StixSenderType as SenderType } from '@srs/core';

const SCHEMA = [
  'Two STIX Cyber-observable Objects (extension_type new-sco).',
  `${PHONE_NUMBER}: a telephone number a message pushes its recipient to call or message.`,
  '  value (string, required): the number in E.164 form, e.g. +447700900123.',
  `${SENDER_ID}: the originator of an SMS as the recipient's handset shows it.`,
  '  value (string, required): an E.164 number, a short code (3 to 8 digits) or an alphanumeric sender ID (up to 11 characters, upper case).',
  `  sender_type (string, required): one of ${SENDER_TYPES.join(', ')}.`,
  `Patterns: [${PHONE_NUMBER}:value = '+447700900123'], [${SENDER_ID}:value = 'ROYALMAIL' AND ${SENDER_ID}:sender_type = 'alphanumeric'].`,
].join('\n');

export function smsObservablesExtension(): StixObject {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: SMS_OBSERVABLES_EXTENSION_ID,
    created_by_ref: CONSORTIUM_IDENTITY_ID,
    created: SMS_OBSERVABLES_CREATED,
    modified: SMS_OBSERVABLES_CREATED,
    name: 'SMS spam observables',
    description: 'Phone numbers and SMS sender IDs as STIX Cyber-observable Objects, for indicators of SMS spam.',
    schema: SCHEMA,
    version: '1.0.0',
    extension_types: ['new-sco'],
    object_marking_refs: [tlpMarkingRef('clear')],
  };
}
