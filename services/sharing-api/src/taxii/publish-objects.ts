import { randomUUID } from 'node:crypto';
import { StixIdTakenError, type SharingRepository, type TaxiiRepository, type TaxiiStatusRow } from '@srs/db';
import { indicatorInput } from '../stix/indicator-input';
import { toPublishInput } from '../publish/indicator-input';

type Detail = TaxiiStatusRow['successes'][number];

/**
 * Adds the indicators of a POSTed envelope to the operator's own collection,
 * each on its own (one failing does not hold back the others), idempotent on
 * the STIX id; records and returns what happened as a TAXII status.
 */
export async function publishObjects(
  objects: readonly unknown[],
  operatorId: string,
  sharing: SharingRepository,
  taxii: TaxiiRepository,
): Promise<TaxiiStatusRow> {
  const requestTimestamp = new Date();
  const successes: Detail[] = [];
  const failures: Detail[] = [];
  for (const object of objects) {
    const input = indicatorInput(object);
    if (!input.ok) {
      failures.push({ id: input.id, ...(input.version ? { version: input.version } : {}), message: input.message });
    } else if (input.revoked) {
      if (await taxii.revokePublished(operatorId, input.id)) successes.push({ id: input.id, version: input.version, message: 'revoked' });
      else failures.push({ id: input.id, version: input.version, message: 'no indicator with this id to revoke' });
    } else {
      try {
        const { created, changed } = await sharing.publish(toPublishInput(operatorId, input.id, input.publish));
        successes.push({ id: input.id, version: input.version, message: created ? 'added' : changed ? 'updated' : 'unchanged' });
      } catch (err) {
        if (!(err instanceof StixIdTakenError)) throw err;
        failures.push({
          id: input.id,
          version: input.version,
          message: "this id is already the STIX id of another operator's or the consortium's indicator; choose another id",
        });
      }
    }
  }
  const status = {
    id: randomUUID(),
    operatorId,
    totalCount: objects.length,
    successCount: successes.length,
    failureCount: failures.length,
    successes,
    failures,
  };
  await taxii.saveStatus({ ...status, requestTimestamp });
  return { ...status, requestTimestamp: requestTimestamp.toISOString() };
}

/** The TAXII 2.1 status resource; everything is done by the time it is answered. */
export function statusResource(status: TaxiiStatusRow) {
  return {
    id: status.id,
    status: 'complete',
    request_timestamp: status.requestTimestamp,
    total_count: status.totalCount,
    success_count: status.successCount,
    ...(status.successes.length ? { successes: status.successes } : {}),
    failure_count: status.failureCount,
    ...(status.failures.length ? { failures: status.failures } : {}),
    pending_count: 0,
  };
}
