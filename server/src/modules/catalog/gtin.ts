/**
 * @module GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) barcodes: the GS1 mod-10 check digit, and the 14-digit form every
 * length pads to, so a UPC-A scan (`036000291452`) finds the EAN-13 (`0036000291452`) of the same item.
 */

const LENGTHS = new Set([8, 12, 13, 14]);

/**
 * The GS1 check digit for the digits before it: from the right, weights 3, 1, 3, 1…; the check digit brings the
 * sum to a multiple of 10.
 * @example gs1CheckDigit('400638133393') // → 1 (EAN-13 4006381333931)
 */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

export type GtinCheck = { ok: true; gtin14: string } | { ok: false; message: string };

/**
 * Checks a GTIN as written on the package: 8, 12, 13 or 14 digits with a valid check digit.
 * @example checkGtin('4006381333931') // → { ok: true, gtin14: '04006381333931' }
 * @example checkGtin('4006381333932') // → { ok: false, message: 'has a wrong check digit (expected 1)' }
 */
export function checkGtin(code: string): GtinCheck {
  if (!/^[0-9]+$/.test(code)) return { ok: false, message: 'must contain digits only' };
  if (!LENGTHS.has(code.length)) return { ok: false, message: 'must have 8, 12, 13 or 14 digits' };
  const expected = gs1CheckDigit(code.slice(0, -1));
  if (expected !== Number(code[code.length - 1])) {
    return { ok: false, message: `has a wrong check digit (expected ${expected})` };
  }
  return { ok: true, gtin14: code.padStart(14, '0') };
}

/** The 14-digit form of a scanned code when it is a valid GTIN, else null (it may be a SKU). */
export function gtin14Of(code: string): string | null {
  const check = checkGtin(code);
  return check.ok ? check.gtin14 : null;
}
