import { detectLanguage } from './language';
import { decide, type ConversationState, type Decision, type ReportKey } from './machine';
import { parseMessage } from './parse-message';
import { isOwnPrompt } from './replies';
import { countMessage, type ReporterLimits, type ReporterVerdict, type ReporterWindows } from './reporter-limits';
import type { Language, ReportedSender } from './types';

/** What a subscriber's conversation holds between messages. */
export interface Conversation {
  state: ConversationState;
  windows?: ReporterWindows;
}

export interface IncomingMessage {
  /** this message, as the key of a report it may open */
  message: ReportKey;
  text: string;
  /** the sender the channel already gave (the app API), so the text is not read for one */
  sender?: ReportedSender;
  /** when the service took the message in, on its own clock: the conversation runs on it */
  at: number;
  /** false for channels with no way back to the subscriber */
  replies: boolean;
}

export interface OperatorContext {
  country: string;
  language: Language;
  shortCode: string;
  senderWindowMs: number;
  limits: ReporterLimits;
}

export interface MessageDecision extends Decision {
  windows: ReporterWindows;
  verdict: ReporterVerdict;
}

/**
 * Everything the conversation decides about one message, in one pure step:
 * the subscriber's rate limit, what the text says, and the state machine's
 * answer. Deterministic in its inputs, so deciding a message again after a
 * crash gives the same steps, which the worker carries out idempotently.
 */
export function decideMessage(conversation: Conversation, incoming: IncomingMessage, operator: OperatorContext): MessageDecision {
  const { state } = conversation;
  const { windows, verdict } = countMessage(conversation.windows, incoming.at, operator.limits);
  if (verdict !== 'ok') {
    const warn = verdict === 'throttled_first' && !state.optedOut && incoming.replies;
    return {
      state,
      windows,
      verdict,
      steps: warn ? [{ type: 'reply', key: 'throttled', params: {} }] : [],
      language: state.language ?? operator.language,
      outcome: verdict,
    };
  }
  const parsed = incoming.sender
    ? ({ kind: 'report_with_sender', sender: incoming.sender, text: incoming.text } as const)
    : parseMessage(incoming.text, { defaultCountry: operator.country, isOwnPrompt });
  const detectedLanguage = parsed.kind === 'spam' || parsed.kind === 'unclear' ? detectLanguage(parsed.text) : undefined;
  const decision = decide(state, parsed, {
    message: incoming.message,
    receivedAt: incoming.at,
    operatorLanguage: operator.language,
    ...(detectedLanguage ? { detectedLanguage } : {}),
    shortCode: operator.shortCode,
    senderWindowMs: operator.senderWindowMs,
  });
  return { ...(incoming.replies ? decision : withoutReplies(decision)), windows, verdict };
}

/** Channels without a way back (the app API) get the same decisions with the replies left out. */
function withoutReplies(decision: Decision): Decision {
  return {
    ...decision,
    steps: decision.steps.filter((s) => s.type !== 'reply' && s.type !== 'status').map((s) => ('reply' in s ? { ...s, reply: false } : s)),
  };
}
