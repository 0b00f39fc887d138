import { randomUUID } from 'node:crypto';
import { StixIdTakenError, type SharingRepository, type TaxiiRepository, type TaxiiStatusRow } from '@srs/db';
import { indicatorInput } from '../stix/indicator-input';
import { toPublishInput } from '../publish/indicator-input';

type Detail = TaxiiStatusRow['successes'][number];

/**
 * Adds the indicators of a POSTed envelope to the operator's own collection,
 * each on its own (one failing does not hold back the others), each kept as
 * sent as a new version under its id and `modified` (the same version again
 * changes nothing); records and returns what happened as a TAXII status: the
 * versions stored, and for each object refused, why.
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
      continue;
    }
    const detail = { id: input.id, version: input.version };
    if (input.revoked) {
      const outcome = await taxii.revokePosted(operatorId, input.id, input.posted);
      if (outcome === 'revoked' || outcome === 'unchanged') successes.push({ ...detail, message: outcome });
      else failures.push({ ...detail, message: outcome ?? 'no indicator with this id to revoke' });
      continue;
    }
    try {
      const { created, changed, refused } = await sharing.publish({
        ...toPublishInput(operatorId, input.id, input.publish),
        stix: input.posted,
      });
      if (refused) failures.push({ ...detail, message: refused });
      else successes.push({ ...detail, message: created ? 'added' : changed ? 'updated' : 'unchanged' });
    } catch (err) {
      if (!(err instanceof StixIdTakenError)) throw err;
      failures.push({
        ...detail,
        message: "this id is already the STIX id of another operator's or the consortium's indicator; choose another id",
      });
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
