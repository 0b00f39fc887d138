import type { Pool } from './pool';
import { ParticipantsRepository } from './repositories/participants-repository';

/** The demo consortium `npm start` and the tests run with: two operators and a regulator. */
export const DEMO_CONSORTIUM = {
  operators: [
    { id: 'demo-uk', name: 'Demo Mobile UK', country: 'GB' },
    { id: 'demo-fr', name: 'Démo Télécom France', country: 'FR' },
  ],
  regulators: [{ id: 'demo-regulator', name: 'Demo Communications Regulator', country: 'GB' }],
} as const;

export async function seedDemoConsortium(pool: Pool): Promise<void> {
  const participants = new ParticipantsRepository(pool);
  for (const op of DEMO_CONSORTIUM.operators) await participants.upsertOperator(op);
  for (const reg of DEMO_CONSORTIUM.regulators) await participants.upsertRegulator(reg);
}
