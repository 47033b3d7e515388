/**
 * @module The exchange as the desk edits it, one draft per returned line, and the two translations around it:
 * drafts → the API's `lines` (only chosen, complete lines; null until one is), and a problem's `errors[]`, which
 * name `body.lines.N.<field>` by position in what was sent, → the returned line and field they belong to.
 */
import { ApiError } from '../../api/client';
import type { ExchangeLineInput, ExchangeMode, ExchangePreview } from '../../api/returns';
import type { Candidate } from '../pos/pos-scan';

export interface LineDraft {
  selected: boolean;
  replacement: Candidate | null;
  quantity: number;
  mode: ExchangeMode;
  /** Pick-up store or shipping location; a take-now line is handed over at the till's store. */
  locationId: string | null;
}

export const emptyDraft = (quantity: number): LineDraft => ({
  selected: false,
  replacement: null,
  quantity,
  mode: 'handover',
  locationId: null,
});

/** The lines the API gets, in the return's line order; null while no chosen line is complete. */
export function exchangeLines(
  order: string[],
  drafts: Record<string, LineDraft>,
  tillLocationId: string,
  preview?: ExchangePreview,
): ExchangeLineInput[] | null {
  const chosen = order.filter((id) => drafts[id]?.selected);
  const lines: ExchangeLineInput[] = [];
  for (const id of chosen) {
    const d = drafts[id]!;
    const locationId = d.mode === 'handover' ? tillLocationId : d.locationId;
    if (!d.replacement || !locationId || d.quantity < 1) return null;
    // The price the preview showed, when it priced this very line: the exchange refuses another price now.
    const shown = preview?.lines.find(
      (p) =>
        p.return_line_id === id &&
        p.sku === d.replacement!.sku &&
        p.quantity === d.quantity &&
        p.delivery.mode === d.mode &&
        p.delivery.location_id === locationId,
    );
    lines.push({
      return_line_id: id,
      sku: d.replacement.sku,
      quantity: d.quantity,
      delivery: { mode: d.mode, location_id: locationId },
      ...(shown ? { unit_price: shown.unit_price.amount } : {}),
    });
  }
  return lines.length ? lines : null;
}

/** Field messages per returned line (`sku`, `quantity`, `unit_price`, `delivery.location_id`, `return_line_id`). */
export type LineErrors = Record<string, Record<string, string>>;

/**
 * Splits a problem's `errors[]` into messages per returned line (`sent` maps the position N of `body.lines.N` to
 * the line) and the rest (tenders, the return itself), which the panel shows together.
 */
export function splitErrors(
  error: unknown,
  sent: ExchangeLineInput[] | null,
): { byLine: LineErrors; rest: string[] } {
  const byLine: LineErrors = {};
  const rest: string[] = [];
  if (!(error instanceof ApiError)) return { byLine, rest };
  for (const e of error.errors) {
    const match = /^body\.lines\.(\d+)\.(.+)$/.exec(e.field);
    const lineId = match && sent?.[Number(match[1])]?.return_line_id;
    if (lineId) (byLine[lineId] ??= {})[match[2]!] = e.message;
    else rest.push(e.message);
  }
  return { byLine, rest };
}
