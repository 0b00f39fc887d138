import { decide, type ConversationState, type MessageContext, type Step } from './machine';
import type { ParsedMessage, ReportedSender } from './types';

const WINDOW = 600_000;
const T0 = Date.parse('2026-11-23T10:00:00Z');
let n = 0;
function ctx(at = T0, overrides: Partial<MessageContext> = {}): MessageContext {
  n += 1;
  return {
    message: { gateway: 'kannel', gatewayMessageId: `m${n}` },
    receivedAt: at,
    operatorLanguage: 'en',
    shortCode: '7726',
    senderWindowMs: WINDOW,
    ...overrides,
  };
}
const spam: ParsedMessage = { kind: 'spam', text: 'URGENT your parcel is held, pay at http://fee.example/x' };
const sender: ReportedSender = { kind: 'msisdn', value: '+447700900999', display: '07700 900999' };
const types = (steps: Step[]) => steps.map((s) => (s.type === 'reply' ? `reply:${s.key}` : s.type));

/** Runs messages through the machine as the intake does, threading the state. */
function converse(messages: Array<[ParsedMessage, number?, Partial<MessageContext>?]>, start: ConversationState = {}) {
  let state = start;
  return messages.map(([parsed, at, extra]) => {
    const c = ctx(at ?? T0, extra);
    const decision = decide(state, parsed, c);
    state = decision.state;
    return { ...decision, message: c.message };
  });
}

describe('the short-code conversation', () => {
  it('opens a report on a forwarded spam text, asks for the sender and schedules the timeout', () => {
    const [d] = converse([[spam]]);
    expect(types(d!.steps)).toEqual(['open_report', 'schedule_timeout']);
    expect(d!.steps[0]).toMatchObject({ type: 'open_report', text: spam.text, reply: true });
    expect(d!.steps[1]).toMatchObject({ type: 'schedule_timeout', at: T0 + WINDOW });
    expect(d!.state.open?.report).toEqual(d!.message);
  });

  it('gives the open report the sender the subscriber sends next', () => {
    const [first, second] = converse([[spam], [{ kind: 'sender', sender }, T0 + 3000]]);
    expect(second!.steps).toEqual([{ type: 'attach_sender', report: first!.message, sender, reply: true }]);
    expect(second!.state.open).toBeUndefined();
  });

  it('does not attach a sender once the window has passed', () => {
    const [, late] = converse([[spam], [{ kind: 'sender', sender }, T0 + WINDOW + 1]]);
    expect(types(late!.steps)).toEqual(['reply:no_open_report']);
  });

  it('closes a waiting report without sender when a second spam text comes, and opens the new one', () => {
    const [first, second] = converse([[spam], [{ kind: 'spam', text: 'WINNER! claim your prize now at http://win.example' }, T0 + 60_000]]);
    expect(types(second!.steps)).toEqual(['close_report', 'open_report', 'schedule_timeout']);
    expect(second!.steps[0]).toMatchObject({ report: first!.message, reason: 'superseded', reply: false });
    expect(second!.state.open?.report).toEqual(second!.message);
    expect(second!.outcome).toBe('report_opened_superseding');
  });

  it('files a one-message report with its sender at once', () => {
    const [d] = converse([[{ kind: 'report_with_sender', sender, text: 'Pay your toll now http://toll.example' }]]);
    expect(types(d!.steps)).toEqual(['file_report']);
    expect(d!.state.open).toBeUndefined();
  });

  it('completes the report without sender when the subscriber does not know it', () => {
    const [first, second] = converse([[spam], [{ kind: 'sender_unknown' }]]);
    expect(second!.steps).toEqual([{ type: 'close_report', report: first!.message, reason: 'sender_unknown', reply: true }]);
  });

  it('answers a sender with no open report helpfully instead of storing it', () => {
    const [d] = converse([[{ kind: 'sender', sender }]]);
    expect(types(d!.steps)).toEqual(['reply:no_open_report']);
    expect(d!.outcome).toBe('sender_without_report');
  });

  it('asks again when a reply cannot be read as a sender, keeping the report open', () => {
    const [, second] = converse([[spam], [{ kind: 'unclear', text: 'hmm' }]]);
    expect(types(second!.steps)).toEqual(['reply:invalid_sender']);
    expect(second!.state.open).toBeDefined();
  });

  it('answers its own prompt, an empty message and an unclear one with help, storing nothing', () => {
    const outcomes = converse([[{ kind: 'own_prompt' }], [{ kind: 'empty' }], [{ kind: 'unclear', text: 'ok' }]]);
    expect(outcomes.map((d) => types(d.steps))).toEqual([['reply:help'], ['reply:empty'], ['reply:help']]);
  });

  it('looks up STATUS references and asks for one when it is missing', () => {
    const [withRef, withoutRef] = converse([
      [{ kind: 'keyword', command: 'status', argument: 'ab2c-3d4e' }],
      [{ kind: 'keyword', command: 'status', argument: '' }],
    ]);
    expect(withRef!.steps).toEqual([{ type: 'status', reference: 'AB2C3D4E' }]);
    expect(types(withoutRef!.steps)).toEqual(['reply:status_missing_ref']);
  });

  it('after STOP accepts reports silently, confirms only STOP and START, and replies again after START', () => {
    const [stop, report, status, start, again] = converse([
      [{ kind: 'keyword', command: 'stop', argument: '' }],
      [spam],
      [{ kind: 'keyword', command: 'status', argument: 'AB2C3D4E' }],
      [{ kind: 'keyword', command: 'start', argument: '' }],
      [spam],
    ]);
    expect(types(stop!.steps)).toEqual(['opt_out', 'reply:stopped']);
    expect(report!.steps).toEqual([
      expect.objectContaining({ type: 'open_report', reply: false }),
      expect.objectContaining({ type: 'schedule_timeout' }),
    ]);
    expect(status!.steps).toEqual([]);
    expect(types(start!.steps)).toEqual(['opt_in', 'reply:started']);
    expect(start!.state.optedOut).toBeUndefined();
    expect(again!.steps[1]).toMatchObject({ type: 'open_report', reply: true });
  });

  it('answers in the operator language unless the message shows another', () => {
    const [plain, chinese, followUp, keyword] = converse([
      [spam],
      [{ kind: 'spam', text: '您的包裹被扣留' }, T0, { detectedLanguage: 'zh' }],
      [{ kind: 'sender', sender }],
      [{ kind: 'keyword', command: 'help', argument: '', language: 'es' }],
    ]);
    expect([plain!.language, chinese!.language, followUp!.language, keyword!.language]).toEqual(['en', 'zh', 'zh', 'es']);
  });

  it('uses the operator language when nothing else is known', () => {
    const [d] = converse([[{ kind: 'sender', sender }, T0, { operatorLanguage: 'fr' }]]);
    expect(d!.language).toBe('fr');
  });

  it('gives every report its own key, so reports in a row stay apart', () => {
    const decisions = converse([[spam], [spam], [spam]]);
    const opened = decisions.flatMap((d) => d.steps).filter((s) => s.type === 'open_report');
    expect(new Set(opened.map((s) => (s.type === 'open_report' ? s.report.gatewayMessageId : '')))).toHaveProperty('size', 3);
  });
});
