/**
 * @module The sourcing planner: which locations should fulfil an order. Pure: it sees candidate locations with
 * what each can give the channel, and returns shipments and the reasons for every choice. Fewest shipments first
 * (one location with everything beats two nearer ones), then the shortest total distance, then the best
 * allocation priority. Up to three shipments are searched exhaustively; beyond that it goes greedy.
 */

export interface PlanLine {
  sku: string;
  quantity: number;
}

export interface Candidate {
  location_id: string;
  code: string;
  name: string;
  distance_km: number | null;
  priority: number;
  /** Units of a SKU it can give the channel now (≤ 0: none). */
  free(sku: string): number;
}

export interface Shipment {
  location_id: string;
  code: string;
  name: string;
  distance_km: number | null;
  priority: number;
  lines: PlanLine[];
}

export type ChoiceReason =
  | 'single_shipment'
  | 'fewest_shipments'
  | 'most_units_left'
  | 'farther'
  | 'lower_priority'
  | 'more_shipments'
  | 'no_stock'
  | 'not_needed';

export interface Explanation {
  location_id: string;
  code: string;
  name: string;
  chosen: boolean;
  reason: string;
  detail: string;
}

export interface PlanResult {
  shipments: Shipment[];
  /** What no candidate can give: the order cannot be fulfilled whole. */
  unfulfilled: PlanLine[];
  explanation: Explanation[];
}

/** Candidates searched exhaustively for two and three shipments (25 choose 3 = 2,300 sets). */
const SEARCH_WIDTH = 25;
const MAX_EXHAUSTIVE = 3;

const distanceOf = (c: { distance_km: number | null }) => c.distance_km ?? 0;
const km = (c: { distance_km: number | null }) =>
  c.distance_km === null ? '' : `, ${c.distance_km} km away`;

/** Order within a set: nearest, then best priority, then id (stable plans for equal locations). */
const byPreference = (a: Candidate, b: Candidate) =>
  distanceOf(a) - distanceOf(b) || a.priority - b.priority || (a.location_id < b.location_id ? -1 : 1);

/** Gives each line to the set's locations in preference order; null when the set cannot cover everything. */
function assign(set: Candidate[], lines: PlanLine[]): Map<string, PlanLine[]> | null {
  const ordered = [...set].sort(byPreference);
  const out = new Map<string, PlanLine[]>();
  for (const line of lines) {
    let left = line.quantity;
    // A line stays whole where one location of the set has all of it; split only when none has.
    const whole = ordered.find((c) => c.free(line.sku) >= line.quantity);
    for (const c of whole ? [whole] : ordered) {
      if (left === 0) break;
      const take = Math.min(left, Math.max(0, c.free(line.sku)));
      if (take > 0) {
        out.set(c.location_id, [...(out.get(c.location_id) ?? []), { sku: line.sku, quantity: take }]);
        left -= take;
      }
    }
    if (left > 0) return null;
  }
  return out;
}

/** Cost of a set of shipments, compared element by element: distance, then priority, then ids. */
const costOf = (set: Candidate[]): [number, number, string] => [
  set.reduce((n, c) => n + distanceOf(c), 0),
  set.reduce((n, c) => n + c.priority, 0),
  set.map((c) => c.location_id).join(','),
];
const cheaper = (a: [number, number, string], b: [number, number, string]) =>
  a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);

function* combinations<T>(items: T[], k: number, start = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i <= items.length - (k - acc.length); i++)
    yield* combinations(items, k, i + 1, [...acc, items[i]!]);
}

/** Units of the order a candidate could give. */
const coverage = (c: Candidate, lines: PlanLine[]) =>
  lines.reduce((n, l) => n + Math.min(l.quantity, Math.max(0, c.free(l.sku))), 0);

/**
 * Plans shipments for `lines` from `candidates` (already only those allowed for the channel and mode).
 * @example planShipments([{ sku: 'TEE-M', quantity: 2 }], candidates).shipments[0].location_id
 */
export function planShipments(lines: PlanLine[], candidates: Candidate[]): PlanResult {
  const useful = candidates.filter((c) => coverage(c, lines) > 0);
  let chosen: Candidate[] | null = null;
  let assignment: Map<string, PlanLine[]> | null = null;
  let how: ChoiceReason = 'single_shipment';
  const pool = [...useful]
    .sort((a, b) => coverage(b, lines) - coverage(a, lines) || byPreference(a, b))
    .slice(0, SEARCH_WIDTH);
  for (let k = 1; k <= Math.min(MAX_EXHAUSTIVE, pool.length) && !chosen; k++) {
    let bestCost: [number, number, string] | null = null;
    for (const set of combinations(k === 1 ? useful : pool, k)) {
      const fill = assign(set, lines);
      if (!fill) continue;
      const cost = costOf(set);
      if (!bestCost || cheaper(cost, bestCost) < 0) {
        bestCost = cost;
        chosen = set;
        assignment = fill;
      }
    }
    how = k === 1 ? 'single_shipment' : 'fewest_shipments';
  }
  const unfulfilled: PlanLine[] = [];
  if (!chosen) {
    // No set of up to three covers the order: take the location giving most of what is left, until none helps.
    how = 'most_units_left';
    chosen = [];
    assignment = new Map();
    const left = new Map(lines.map((l) => [l.sku, l.quantity]));
    const remaining = () => [...left].filter(([, q]) => q > 0).map(([sku, quantity]) => ({ sku, quantity }));
    for (;;) {
      const rest = remaining();
      const next = useful
        .filter((c) => !chosen!.includes(c))
        .map((c) => ({ c, units: coverage(c, rest) }))
        .filter((x) => x.units > 0)
        .sort((a, b) => b.units - a.units || byPreference(a.c, b.c))[0];
      if (!next) break;
      chosen.push(next.c);
      for (const l of rest) {
        const take = Math.min(l.quantity, Math.max(0, next.c.free(l.sku)));
        if (take > 0) {
          assignment.set(next.c.location_id, [
            ...(assignment.get(next.c.location_id) ?? []),
            { sku: l.sku, quantity: take },
          ]);
          left.set(l.sku, l.quantity - take);
        }
      }
    }
    unfulfilled.push(...remaining());
  }
  const shipments: Shipment[] = [...chosen]
    .filter((c) => assignment!.has(c.location_id))
    .sort(byPreference)
    .map((c) => ({
      location_id: c.location_id,
      code: c.code,
      name: c.name,
      distance_km: c.distance_km,
      priority: c.priority,
      lines: assignment!.get(c.location_id)!,
    }));
  return { shipments, unfulfilled, explanation: explain(lines, candidates, shipments, how) };
}

function explain(
  lines: PlanLine[],
  candidates: Candidate[],
  shipments: Shipment[],
  how: ChoiceReason,
): Explanation[] {
  const picked = new Set(shipments.map((s) => s.location_id));
  const n = shipments.length;
  const first = shipments[0];
  const out: Explanation[] = [];
  for (const s of shipments) {
    const units = s.lines.reduce((t, l) => t + l.quantity, 0);
    const detail =
      how === 'single_shipment'
        ? `Has every line in stock: one shipment${km(s)}, priority ${s.priority}.`
        : how === 'fewest_shipments'
          ? `No single location has every line; ${n} shipments is the fewest possible. This one sends ${units} unit${units === 1 ? '' : 's'} (${s.lines.map((l) => l.sku).join(', ')})${km(s)}.`
          : `Gives the most of what was still missing: ${units} unit${units === 1 ? '' : 's'} (${s.lines.map((l) => l.sku).join(', ')})${km(s)}.`;
    out.push({ location_id: s.location_id, code: s.code, name: s.name, chosen: true, reason: how, detail });
  }
  for (const c of candidates) {
    if (picked.has(c.location_id)) continue;
    const units = coverage(c, lines);
    const total = lines.reduce((t, l) => t + l.quantity, 0);
    let reason: ChoiceReason;
    let detail: string;
    if (units === 0) {
      reason = 'no_stock';
      detail = 'Has none of these SKUs available for this channel.';
    } else if (units === total && how === 'single_shipment' && first) {
      const farther = distanceOf(c) > distanceOf(first);
      reason = farther ? 'farther' : 'lower_priority';
      detail = farther
        ? `Also has everything, but is farther (${c.distance_km} km against ${first.distance_km} km).`
        : `Also has everything, at the same distance, but with a lower priority (${c.priority} against ${first.priority}).`;
    } else if (how === 'most_units_left') {
      reason = 'not_needed';
      detail = 'What it has was already covered by the locations chosen.';
    } else {
      reason = 'more_shipments';
      detail = `Has only ${units} of the ${total} units: using it would need more shipments${km(c)}.`;
    }
    out.push({ location_id: c.location_id, code: c.code, name: c.name, chosen: false, reason, detail });
  }
  return out;
}
