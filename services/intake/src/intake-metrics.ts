import { Counter, type Registry } from '@srs/http';

export interface IntakeMetrics {
  /** every inbound message, by gateway and what became of it */
  messages: Counter<'gateway' | 'status' | 'outcome'>;
}

export function intakeMetrics(registry: Registry): IntakeMetrics {
  return {
    messages: new Counter({
      name: 'srs_intake_messages_total',
      help: 'Inbound messages by gateway; status accepted, duplicate, throttled, or the HTTP status of a refusal; outcome of the conversation step',
      labelNames: ['gateway', 'status', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
