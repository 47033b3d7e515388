/** @module Row types of returns: policy rules, returns with their lines, and the returned-quantity counter per order line. */

/**
 * One return policy rule. Scope fields left null match anything; the most specific matching rule decides the
 * window, and any matching final-sale rule makes the item not returnable.
 */
export interface ReturnPolicyRow {
  id: string;
  name: string;
  channel_id: string | null;
  category_id: string | null;
  tag: string | null;
  /** Days after delivery, collection or handover; null on a final-sale rule. */
  window_days: number | null;
  final_sale: boolean | number;
  created_at: number;
  updated_at: number;
}

export interface ReturnRow {
  id: string;
  order_id: string;
  channel_id: string;
  /** The order's customer (null for a walk-in sale); only the id is stored. */
  customer_id: string | null;
  /** How the goods come back: `in_store` (brought to a location) or `mail` (sent back under this RMA). */
  method: string;
  status: string;
  currency: string;
  /** Where the goods were received (null until then). */
  location_id: string | null;
  /** Sum of the line amounts that go back to the customer (refund or store credit), set at inspection. */
  refund_total: number;
  /** What has been given back so far (a failed refund mid-way keeps what succeeded). */
  refunded_amount: number;
  refund_method: string | null;
  /** Free text from the customer or staff (PII: erased with the customer). */
  note: string | null;
  /** Staff override of the policy: the reason and who (audited in the return.requested event too). */
  override_reason: string | null;
  override_actor_id: string | null;
  /** The replacement order of an exchange. */
  exchange_order_id: string | null;
  actor_type: string;
  actor_id: string | null;
  requested_at: number;
  received_at: number | null;
  inspected_at: number | null;
  refunded_at: number | null;
  completed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ReturnLineRow {
  id: string;
  return_id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
  reason: string;
  /** PII-ish free text ("other" reasons): erased with the customer. */
  note: string | null;
  /** Set by inspection: `restock` or `write_off`. */
  outcome: string | null;
  /** This line's share of the order line's total (minor units). */
  amount: number;
  /** The line is exchanged: its value settles the replacement instead of being refunded. */
  exchanged: boolean | number;
  inspected_at: number | null;
  created_at: number;
}

/** Units of an order line already claimed by returns: the guarded counter two returns race on. */
export interface ReturnQuantityRow {
  order_line_id: string;
  order_id: string;
  bought: number;
  returned: number;
}

export interface ReturnTables {
  return_policies: ReturnPolicyRow;
  returns: ReturnRow;
  return_lines: ReturnLineRow;
  return_quantities: ReturnQuantityRow;
}
