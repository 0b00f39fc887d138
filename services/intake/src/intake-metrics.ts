import { Counter, type Registry } from '@srs/http';

export interface IntakeMetrics {
  /** every inbound message, by gateway and what became of it */
  messages: Counter<'gateway' | 'status'>;
}

export function intakeMetrics(registry: Registry): IntakeMetrics {
  return {
    messages: new Counter({
      name: 'srs_intake_messages_total',
      help: 'Inbound messages by gateway; status accepted (recorded in the inbox), duplicate (a redelivery), or the HTTP status of a refusal',
      labelNames: ['gateway', 'status'] as const,
      registers: [registry],
    }),
  };
}
