/** Languages the service answers in. Operators pick one; a message may override it. */
export const LANGUAGES = ['en', 'fr', 'es', 'ar', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How the sender of a reported message was given by the subscriber: a number, a short code or an alphanumeric sender ID. */
export const SENDER_KINDS = ['msisdn', 'short_code', 'alphanumeric'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

export interface ReportedSender {
  kind: SenderKind;
  /** canonical value: E.164 for msisdn (e.g. +447700900123), digits for short codes, upper-case for alphanumeric IDs */
  value: string;
  /** as the subscriber wrote it, trimmed; for replies */
  display: string;
}

export type KeywordCommand = 'help' | 'status' | 'stop' | 'start';

/** What a subscriber's SMS to the short code says, before any conversation state is considered. */
export type ParsedMessage =
  /** HELP / STATUS [ref] / STOP / START, in any case and in any supported language */
  | { kind: 'keyword'; command: KeywordCommand; argument: string; language?: Language }
  /** `SPAM <sender> <text>` or `<sender>*<text>`: a report with its sender in one message */
  | { kind: 'report_with_sender'; sender: ReportedSender; text: string }
  /** a short message that reads as a sender: a number, a short code or an alphanumeric sender ID */
  | { kind: 'sender'; sender: ReportedSender }
  /** "I don't know", "unknown", "?" …: the subscriber cannot say who sent it */
  | { kind: 'sender_unknown'; language?: Language }
  /** one of the service's own replies, forwarded back */
  | { kind: 'own_prompt' }
  /** nothing usable: empty, whitespace, only emoji or punctuation */
  | { kind: 'empty' }
  /** a short text that is neither a sender nor a keyword, nor long enough to be a spam forward */
  | { kind: 'unclear'; text: string }
  /** anything else: a forwarded spam text */
  | { kind: 'spam'; text: string };

/** Every reply the service can send; texts live in the catalogue, one per language. */
export const REPLY_KEYS = [
  'ask_sender', // thanks for report {ref}; reply with the number or name it came from
  'report_complete', // report {ref} complete with sender {sender}; thanks
  'report_complete_no_sender', // report {ref} kept without a sender; thanks
  'help', // how to report to {shortCode}; STATUS <ref>; STOP
  'status_received', // report {ref}: received, being checked
  'status_confirmed', // report {ref}: confirmed as spam
  'status_blocked', // report {ref}: confirmed spam, sender blocked
  'status_not_spam', // report {ref}: looked like a legitimate message, not spam
  'status_unknown', // no report {ref} for this number; check the reference
  'status_missing_ref', // STATUS needs a reference, e.g. STATUS {example}
  'stopped', // no more replies; reports still accepted; START to resume
  'started', // replies are on again
  'invalid_sender', // could not read that as a sender; send the number or name, e.g. +44…/BANK
  'no_open_report', // nothing waits for a sender: forward the spam text first
  'empty', // the message was empty: forward the spam text to {shortCode}
  'throttled', // too many messages, please wait before sending more
] as const;
export type ReplyKey = (typeof REPLY_KEYS)[number];

/** Values a reply may mention. Every template must fit one SMS segment with the longest values allowed here. */
export interface ReplyParams {
  /** report reference, 8 characters */
  ref?: string;
  /** the sender as the subscriber wrote it, at most 20 characters */
  sender?: string;
  /** the service's short code, at most 8 characters */
  shortCode?: string;
  /** an example reference, 8 characters */
  example?: string;
}
