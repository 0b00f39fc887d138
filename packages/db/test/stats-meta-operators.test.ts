import { createTestDatabase, type TestDatabase } from '@srs/testkit';
import { FederationRepository, ParticipantsRepository, StatsRepository } from '../src';

describe('statistics meta', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('lists the networks that report, not the peer deployments whose indicators are imported', async () => {
    await new ParticipantsRepository(db.pool).upsertOperator({ id: 'net-a', name: 'Network A', country: 'GB' });
    await new FederationRepository(db.pool).addPeer({
      name: 'fr',
      displayName: 'Consortium FR',
      country: 'FR',
      apiRoot: 'https://taxii.peer.example/taxii2/api/',
      collectionId: null,
      authKind: 'bearer',
      username: null,
      secretSealed: 'sealed',
      tlpGrant: 'green',
      intervalSeconds: 300,
    });
    const operators = (await new StatsRepository(db.pool).meta()).operators;
    expect(operators).toEqual(expect.arrayContaining([{ id: 'net-a', name: 'Network A' }]));
    expect(operators.map((o) => o.id)).not.toContain('peer:fr');
  });
});
