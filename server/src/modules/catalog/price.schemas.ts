/** @module TypeBox schemas shared by the price, price-list and promotion routes. */
import { Type } from 'typebox';
import { MAX_AMOUNT } from './price.money';

export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO-4217 code (EUR)' });
export const Amount = Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description: 'Minor units (cents)' });
export const MoneySchema = Type.Object(
  { amount: Type.Integer(), currency: Type.String() },
  { title: 'Money' },
);
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Ids = Type.Array(Id, { maxItems: 100, uniqueItems: true });
