import { REPLY_KEYS, renderReply, type Language, type ReplyKey, type ReplyParams } from '@srs/core';
import { UnrecoverableError } from 'bullmq';

export function isReplyKey(key: string): key is ReplyKey {
  return (REPLY_KEYS as readonly string[]).includes(key);
}

/** Renders a catalogue reply; an unknown key or missing parameter is a bug, not worth retrying. */
export function render(key: string, language: Language, params: ReplyParams): { text: string; coding: 'gsm7' | 'ucs2' } {
  if (!isReplyKey(key)) throw new UnrecoverableError(`unknown reply ${key}`);
  try {
    return renderReply(key, language, params);
  } catch (err) {
    throw new UnrecoverableError(`reply ${key} cannot be rendered: ${(err as Error).message}`);
  }
}
