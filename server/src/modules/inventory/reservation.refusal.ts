/**
 * @module Why a reservation was refused, told precisely: an unknown channel or location or a SKU never stocked is
 * bad input (400 naming the field), a location the channel may not sell from is a 422, and too few units is a
 * 409 `insufficient_stock` with what the channel can still have there. Runs only after a guarded update refused,
 * so the fast path never pays for these reads.
 */
import { decodeBool } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { AppError } from '../../platform/errors';
import { findAllocationRow } from './allocation.repository';
import { findLocationRow } from './location.repository';
import { findLevelRow, freeUnits, stockedSkus } from './stock.repository';

interface RefusedClaim {
  channelId: string;
  sku: string;
  locationId: string;
  quantity: number;
}

const fieldError = (code: 'validation_failed' | 'unprocessable', field: string, message: string) =>
  new AppError(code, `${field} ${message}`, { errors: [{ field, message }] });

/** The error to answer with, or — when there simply are not enough units — how many the channel can have. */
export async function diagnoseRefusal(
  db: DbOrTrx,
  claim: RefusedClaim,
  channelExists: (id: string) => Promise<boolean>,
  field = 'body.lines.0',
): Promise<AppError | { available: number }> {
  const location = await findLocationRow(db, claim.locationId);
  if (!location) return fieldError('validation_failed', `${field}.location_id`, 'is not a known location');
  const allocation = await findAllocationRow(db, claim.channelId, claim.locationId);
  if (!allocation) {
    if (!(await channelExists(claim.channelId)))
      return fieldError('validation_failed', 'body.channel_id', 'is not a known channel');
    return fieldError('unprocessable', `${field}.location_id`, 'is not a location this channel sells from');
  }
  if (!decodeBool(location.active))
    return fieldError('unprocessable', `${field}.location_id`, 'is not an active location');
  const level = await findLevelRow(db, { sku: claim.sku, location_id: claim.locationId });
  if (!level && !(await stockedSkus(db, [claim.sku])).has(claim.sku))
    return fieldError('validation_failed', `${field}.sku`, 'is not stocked at any location');
  const free = level ? freeUnits(level) - Number(allocation.holdback) : 0;
  return { available: Math.max(0, free) };
}

/** 409 with what is available: the answer to a reservation beyond availability. */
export function insufficient(claim: RefusedClaim, available: number, field: string): AppError {
  return new AppError(
    'insufficient_stock',
    `Only ${available} unit${available === 1 ? '' : 's'} of ${claim.sku} can be reserved at this location; ${claim.quantity} asked.`,
    {
      sku: claim.sku,
      location_id: claim.locationId,
      requested: claim.quantity,
      available,
      errors: [{ field: `${field}.quantity`, message: `exceeds the ${available} units available` }],
    },
  );
}
