/**
 * @module The demo retailer's tax and shipping tables: Spanish VAT (21 % general; the demo sells clothing and
 * shoes only, which Spain taxes at the general rate, so no reduced rate applies), UK VAT for the GBP shop, and
 * shipping in Spain (standard, express, same-day), to the rest of the EU and to the UK.
 */
import { systemActor } from '../platform/auth/principal';
import type { Commerce } from '../modules/commerce';

/** The EU member states other than Spain: the zone of "EU standard" shipping. */
const euOutsideSpain = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV',
  'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]; // prettier-ignore

export async function seedDemoCommerce(
  commerce: Pick<Commerce, 'cartsModule'>,
): Promise<{ taxRates: number; shippingRates: number }> {
  const { tax, shipping } = commerce.cartsModule;
  const taxRates = [
    { name: 'IVA general', country: 'ES', rate_bp: 2100 },
    { name: 'UK VAT standard', country: 'GB', rate_bp: 2000 },
  ];
  for (const rate of taxRates) await tax.createTaxRate(rate, systemActor);
  const shippingRates = [
    {
      name: 'Envío estándar',
      method: 'standard',
      countries: ['ES'],
      currency: 'EUR',
      amount: 495,
      free_over: 5000,
    },
    { name: 'Envío exprés', method: 'express', countries: ['ES'], currency: 'EUR', amount: 995 },
    { name: 'Entrega en el día', method: 'same_day', countries: ['ES'], currency: 'EUR', amount: 695 },
    {
      name: 'EU standard',
      method: 'standard',
      countries: euOutsideSpain,
      currency: 'EUR',
      amount: 1295,
      free_over: 15000,
    },
    {
      name: 'UK standard',
      method: 'standard',
      countries: ['GB'],
      currency: 'GBP',
      amount: 595,
      free_over: 7500,
    },
  ] as const;
  for (const rate of shippingRates)
    await shipping.createShippingRate({ ...rate, countries: [...rate.countries] }, systemActor);
  return { taxRates: taxRates.length, shippingRates: shippingRates.length };
}
