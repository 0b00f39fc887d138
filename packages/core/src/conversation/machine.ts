import type { KeywordCommand, Language, ParsedMessage, ReplyKey, ReplyParams, ReportedSender } from './types';

/**
 * The short-code conversation as a pure state machine: one subscriber's state
 * and one parsed message in, the next state and the steps to carry out. The
 * services persist the state (Redis) and carry out the steps (queue jobs), in
 * order; the worker fills in report references when it renders replies.
 */

/** Identifies a report by the message that opened it: known before the report is stored. */
export interface ReportKey {
  gateway: string;
  gatewayMessageId: string;
}

export interface ConversationState {
  /** the report waiting for its sender */
  open?: { report: ReportKey; openedAt: number };
  /** STOP received: send nothing but the confirmations of STOP and START */
  optedOut?: boolean;
  /** the language the subscriber last wrote in, when we could tell */
  language?: Language;
}

export interface MessageContext {
  /** this message, as a report key should it open a report */
  message: ReportKey;
  receivedAt: number;
  /** the operator's configured reply language */
  operatorLanguage: Language;
  /** the language detected in this message's text, if any */
  detectedLanguage?: Language;
  shortCode: string;
  senderWindowMs: number;
}

export type Step =
  /** store a report that waits for its sender; reply `ask_sender` with its reference */
  | { type: 'open_report'; report: ReportKey; text: string; reply: boolean }
  /** store a complete report with its sender; reply `report_complete` */
  | { type: 'file_report'; report: ReportKey; text: string; sender: ReportedSender; reply: boolean }
  /** give the open report its sender; reply `report_complete` */
  | { type: 'attach_sender'; report: ReportKey; sender: ReportedSender; reply: boolean }
  /** complete the report without a sender; reply `report_complete_no_sender` when asked to */
  | { type: 'close_report'; report: ReportKey; reason: 'superseded' | 'sender_unknown'; reply: boolean }
  /** complete the report without a sender once the window has passed, unless a sender came */
  | { type: 'schedule_timeout'; report: ReportKey; at: number }
  /** look the reference up for this subscriber and reply with its status */
  | { type: 'status'; reference: string }
  | { type: 'reply'; key: ReplyKey; params: ReplyParams }
  | { type: 'opt_out' }
  | { type: 'opt_in' };

export interface Decision {
  state: ConversationState;
  steps: Step[];
  /** the language every reply of this decision is written in */
  language: Language;
  /** what the message was taken for, for logs and metrics */
  outcome: string;
}

export const EXAMPLE_REFERENCE = 'AB2C3D4E';

export function decide(state: ConversationState, parsed: ParsedMessage, ctx: MessageContext): Decision {
  const open = state.open && ctx.receivedAt - state.open.openedAt <= ctx.senderWindowMs ? state.open : undefined;
  const keywordLanguage = parsed.kind === 'keyword' || parsed.kind === 'sender_unknown' ? parsed.language : undefined;
  const language = keywordLanguage ?? ctx.detectedLanguage ?? state.language ?? ctx.operatorLanguage;
  const rememberedLanguage = keywordLanguage ?? ctx.detectedLanguage ?? state.language;
  const replies = !state.optedOut;
  const base: ConversationState = {
    ...(open ? { open } : {}),
    ...(state.optedOut ? { optedOut: true } : {}),
    ...(rememberedLanguage ? { language: rememberedLanguage } : {}),
  };
  const { open: _dropped, ...withoutOpen } = base;
  const result = (steps: Step[], outcome: string, next: ConversationState = base): Decision => ({
    state: next,
    // Opted out: only STOP and START are confirmed; a STATUS answer would be a reply too.
    steps: replies ? steps : steps.filter((s) => s.type !== 'status' && (s.type !== 'reply' || s.key === 'stopped' || s.key === 'started')),
    language,
    outcome,
  });
  const reply = (key: ReplyKey, params: ReplyParams = {}): Step => ({ type: 'reply', key, params });
  const closeOpen = (reason: 'superseded' | 'sender_unknown'): Step[] =>
    open ? [{ type: 'close_report', report: open.report, reason, reply: replies && reason === 'sender_unknown' }] : [];

  switch (parsed.kind) {
    case 'keyword':
      return keyword(parsed.command, parsed.argument);
    case 'own_prompt':
      return result([reply('help', { shortCode: ctx.shortCode })], 'own_prompt');
    case 'empty':
      return result([reply('empty', { shortCode: ctx.shortCode })], 'empty');
    case 'report_with_sender':
      return result(
        [
          ...closeOpen('superseded'),
          { type: 'file_report', report: ctx.message, text: parsed.text, sender: parsed.sender, reply: replies },
        ],
        'report_with_sender',
        withoutOpen,
      );
    case 'spam':
      return result(
        [
          ...closeOpen('superseded'),
          { type: 'open_report', report: ctx.message, text: parsed.text, reply: replies },
          { type: 'schedule_timeout', report: ctx.message, at: ctx.receivedAt + ctx.senderWindowMs },
        ],
        open ? 'report_opened_superseding' : 'report_opened',
        { ...withoutOpen, open: { report: ctx.message, openedAt: ctx.receivedAt } },
      );
    case 'sender':
      if (!open) return result([reply('no_open_report', { shortCode: ctx.shortCode })], 'sender_without_report');
      return result(
        [{ type: 'attach_sender', report: open.report, sender: parsed.sender, reply: replies }],
        'sender_attached',
        withoutOpen,
      );
    case 'sender_unknown':
      if (!open) return result([reply('no_open_report', { shortCode: ctx.shortCode })], 'sender_unknown_without_report');
      return result(closeOpen('sender_unknown'), 'report_closed_without_sender', withoutOpen);
    case 'unclear':
      if (open) return result([reply('invalid_sender')], 'invalid_sender');
      return result([reply('help', { shortCode: ctx.shortCode })], 'unclear');
  }

  function keyword(command: KeywordCommand, argument: string): Decision {
    switch (command) {
      case 'help':
        return result([reply('help', { shortCode: ctx.shortCode })], 'help');
      case 'status': {
        const reference = argument.toUpperCase().replace(/[\s-]/g, '');
        if (!reference) return result([reply('status_missing_ref', { example: EXAMPLE_REFERENCE })], 'status_without_reference');
        return result([{ type: 'status', reference }], 'status');
      }
      case 'stop':
        return {
          state: { ...base, optedOut: true },
          steps: [{ type: 'opt_out' }, reply('stopped', { shortCode: ctx.shortCode })],
          language,
          outcome: 'stop',
        };
      case 'start': {
        const { optedOut: _was, ...rest } = base;
        return { state: rest, steps: [{ type: 'opt_in' }, reply('started', { shortCode: ctx.shortCode })], language, outcome: 'start' };
      }
    }
  }
}
