import { decideMessage, type Conversation, type IncomingMessage, type OperatorContext } from './decide-message';

const operator: OperatorContext = {
  country: 'GB',
  language: 'en',
  shortCode: '7726',
  senderWindowMs: 600_000,
  limits: { perMinute: 2, perDay: 100 },
};
const message = (id: string, text: string, at: number, extra: Partial<IncomingMessage> = {}): IncomingMessage => ({
  message: { gateway: 'kannel', gatewayMessageId: id },
  text,
  at,
  replies: true,
  ...extra,
});

function converse(messages: IncomingMessage[], start: Conversation = { state: {} }) {
  let conversation = start;
  return messages.map((m) => {
    const decision = decideMessage(conversation, m, operator);
    conversation = { state: decision.state, windows: decision.windows };
    return decision;
  });
}

describe('decideMessage', () => {
  it('opens a report for a forwarded spam text and attaches the sender that follows', () => {
    const [text, sender] = converse([
      message('1', 'Your parcel is held at the depot, pay the fee at http://parcel.example/pay', 1_000),
      message('2', '020 7946 0018', 2_000),
    ]);
    expect(text!.outcome).toBe('report_opened');
    expect(text!.steps.map((s) => s.type)).toEqual(['open_report', 'schedule_timeout']);
    expect(sender!.outcome).toBe('sender_attached');
    expect(sender!.steps).toMatchObject([{ type: 'attach_sender', report: { gatewayMessageId: '1' }, sender: { value: '+442079460018' } }]);
  });

  it('gives the same steps when the same message is decided again from the same conversation', () => {
    const start: Conversation = { state: {} };
    const m = message('1', 'URGENT your account is locked, verify at http://bank.example/login', 5_000);
    expect(decideMessage(start, m, operator)).toEqual(decideMessage(start, m, operator));
  });

  it('warns a flooding subscriber once, then drops the rest of the minute without a reply', () => {
    const decisions = converse(['a', 'b', 'c', 'd'].map((id, i) => message(id, 'HELP', i)));
    expect(decisions.map((d) => d.outcome)).toEqual(['help', 'help', 'throttled_first', 'throttled']);
    expect(decisions[2]!.steps).toEqual([{ type: 'reply', key: 'throttled', params: {} }]);
    expect(decisions[3]!.steps).toEqual([]);
  });

  it('files a report with the sender a channel gave, and sends no reply where there is no way back', () => {
    const [decision] = converse([
      message('app-1', 'Win a prize now', 0, { replies: false, sender: { kind: 'alphanumeric', value: 'PRIZE', display: 'PRIZE' } }),
    ]);
    expect(decision!.outcome).toBe('report_with_sender');
    expect(decision!.steps).toEqual([
      {
        type: 'file_report',
        report: { gateway: 'kannel', gatewayMessageId: 'app-1' },
        text: 'Win a prize now',
        sender: expect.anything(),
        reply: false,
      },
    ]);
  });
});
