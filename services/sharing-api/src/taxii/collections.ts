import type { OperatorRow } from '@srs/db';
import { AppError } from '@srs/http';
import { uuidv5 } from '../stix';
import { STIX_MEDIA_TYPE } from './media-types';

/** A collection as this server keeps it: the consortium's feed, or one operator's own indicators. */
export interface Collection {
  id: string;
  /** null: the consortium's collection */
  operatorId: string | null;
  title: string;
  description: string;
}

export const CONSORTIUM_COLLECTION_ID = uuidv5('collection:consortium');

export function operatorCollectionId(operatorId: string): string {
  return uuidv5(`collection:operator:${operatorId}`);
}

export function allCollections(operators: readonly OperatorRow[]): Collection[] {
  return [
    {
      id: CONSORTIUM_COLLECTION_ID,
      operatorId: null,
      title: 'Consortium SMS spam intelligence',
      description:
        'Indicators and campaigns the service derived from subscribers\u2019 spam reports, with operators\u2019 sightings. ' +
        'Sample texts only once enough distinct subscribers reported them; never a subscriber.',
    },
    ...operators.map((op) => ({
      id: operatorCollectionId(op.id),
      operatorId: op.id,
      title: `${op.name} published`,
      description: `Indicators ${op.name} published, with sightings of them; TLP:RED ones only to ${op.name}.`,
    })),
  ];
}

export function findCollection(operators: readonly OperatorRow[], id: string): Collection {
  const collection = allCollections(operators).find((c) => c.id === id.toLowerCase());
  if (!collection) throw AppError.notFound('no such collection');
  return collection;
}

/** Every operator reads every collection; only an operator writes, and only to its own. */
export function canWrite(collection: Collection, viewer: string): boolean {
  return collection.operatorId === viewer;
}

export function collectionResource(collection: Collection, viewer: string) {
  return {
    id: collection.id,
    title: collection.title,
    description: collection.description,
    can_read: true,
    can_write: canWrite(collection, viewer),
    media_types: [STIX_MEDIA_TYPE],
  };
}
