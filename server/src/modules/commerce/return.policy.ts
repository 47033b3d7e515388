/**
 * @module Return policy: configurable rules (a window in days per channel, category or product tag, and final-sale
 * items) and their evaluation against the lines of a return. Without a matching rule the default window applies.
 * Among matching rules the most specific decides the window (ties: the longest, in the customer's favour); any
 * matching final-sale rule makes the item not returnable. Only staff can override, with a reason.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { encodeBool } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { newId } from '../../platform/ids';
import type { CatalogService } from '../catalog';
import type { Fulfilment } from './fulfilment.repository';
import type { OrderLine } from './order.repository';
import { listPolicyRows, policyFromRow, type ReturnPolicy } from './return.repository';

/** The window when no rule matches: 30 days, the common retail promise (EU law asks for at least 14 online). */
export const DEFAULT_RETURN_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;

export interface PolicyInput {
  name: string;
  channel_id?: string | null | undefined;
  category_id?: string | null | undefined;
  tag?: string | null | undefined;
  window_days?: number | null | undefined;
  final_sale?: boolean | undefined;
}

/** Why a line may not be returned, naming the rule (the default rule has id `default`). */
export interface PolicyViolation {
  line: number;
  order_line_id: string;
  rule: { id: string; name: string; window_days: number | null; final_sale: boolean };
  message: string;
}

/** When the goods reached the customer: delivered, collected (or handed over at the till), else shipped. */
export function receivedAt(f: Fulfilment | undefined): number | null {
  const at = f?.delivered_at ?? f?.collected_at ?? f?.shipped_at ?? null;
  return at ? Date.parse(at) : null;
}

export function createReturnPolicies(deps: {
  db: Db;
  events: EventBus;
  catalog: CatalogService;
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, events } = deps;

  function check(input: PolicyInput): FieldError[] {
    const errors: FieldError[] = [];
    if (input.final_sale && input.window_days != null)
      errors.push({ field: 'body.window_days', message: 'must be empty on a final-sale rule' });
    if (!input.final_sale && input.window_days == null)
      errors.push({ field: 'body.window_days', message: 'is required unless the rule is final sale' });
    return errors;
  }

  async function write(id: string | null, input: PolicyInput, actor: Actor): Promise<ReturnPolicy> {
    const errors = check(input);
    if (input.channel_id && !(await deps.channelExists(input.channel_id)))
      errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
    if (errors.length > 0)
      throw new AppError('validation_failed', 'The return policy is not valid.', { errors });
    const now = Date.now();
    const values = {
      name: input.name,
      channel_id: input.channel_id ?? null,
      category_id: input.category_id ?? null,
      tag: input.tag ?? null,
      window_days: input.final_sale ? null : (input.window_days ?? null),
      final_sale: encodeBool(input.final_sale ?? false),
      updated_at: now,
    };
    return inTransaction(db, async (trx) => {
      const row = id
        ? await trx
            .updateTable('return_policies')
            .set(values)
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirst()
        : await trx
            .insertInto('return_policies')
            .values({ ...values, id: newId('rpol'), created_at: now })
            .returningAll()
            .executeTakeFirst();
      if (!row) throw notFound('return policy', id ?? '');
      const policy = policyFromRow(row);
      await events.append(trx, {
        type: 'return_policy.changed',
        aggregate: { type: 'return_policy', id: policy.id },
        actor,
        data: { action: id ? 'updated' : 'created', policy },
      });
      return policy;
    });
  }

  return {
    listPolicies: async (): Promise<ReturnPolicy[]> => (await listPolicyRows(db)).map(policyFromRow),
    createPolicy: (input: PolicyInput, actor: Actor) => write(null, input, actor),
    updatePolicy: (id: string, input: PolicyInput, actor: Actor) => write(id, input, actor),
    async deletePolicy(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const gone = await trx.deleteFrom('return_policies').where('id', '=', id).executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) throw notFound('return policy', id);
        await events.append(trx, {
          type: 'return_policy.changed',
          aggregate: { type: 'return_policy', id },
          actor,
          data: { action: 'deleted', policy: { id } },
        });
      });
    },

    /**
     * The lines of a return that break the policy, each naming its rule; empty when all may be returned.
     * @example const violations = await policies.evaluate(order.channel_id, [{ line, fulfilment }], Date.now())
     */
    async evaluate(
      channelId: string,
      items: Array<{ line: OrderLine; fulfilment: Fulfilment | undefined }>,
      now: number,
    ): Promise<PolicyViolation[]> {
      const rules = (await listPolicyRows(db)).map(policyFromRow);
      const variants = await deps.catalog.variants.retrieveVariantsBySku(items.map((i) => i.line.sku));
      const productOf = new Map(variants.map((v) => [v.sku, v.product_id]));
      const products = await deps.catalog.products.retrieveProducts([...new Set(productOf.values())]);
      const byId = new Map(products.map((p) => [p.id, p]));
      const violations: PolicyViolation[] = [];
      items.forEach(({ line, fulfilment }, i) => {
        const product = byId.get(productOf.get(line.sku) ?? '');
        const categories = new Set(product?.category_ids ?? []);
        const tags = new Set(product?.tags ?? []);
        const matching = rules.filter(
          (r) =>
            (r.channel_id === null || r.channel_id === channelId) &&
            (r.category_id === null || categories.has(r.category_id)) &&
            (r.tag === null || tags.has(r.tag)),
        );
        const view = (r: ReturnPolicy) => ({
          id: r.id,
          name: r.name,
          window_days: r.window_days,
          final_sale: r.final_sale,
        });
        const finalSale = matching.find((r) => r.final_sale);
        if (finalSale) {
          violations.push({
            line: i,
            order_line_id: line.id,
            rule: view(finalSale),
            message: `${line.sku} is a final-sale item (rule "${finalSale.name}")`,
          });
          return;
        }
        const specificity = (r: ReturnPolicy) => [r.channel_id, r.category_id, r.tag].filter(Boolean).length;
        const rule = matching
          .filter((r) => r.window_days !== null)
          .sort((a, b) => specificity(b) - specificity(a) || b.window_days! - a.window_days!)[0];
        const window = rule
          ? view(rule)
          : { id: 'default', name: 'Default', window_days: DEFAULT_RETURN_WINDOW_DAYS, final_sale: false };
        const since = receivedAt(fulfilment);
        if (since === null) return; // not with the customer yet: the service refuses that separately
        const days = Math.floor((now - since) / DAY_MS);
        if (days > window.window_days!)
          violations.push({
            line: i,
            order_line_id: line.id,
            rule: window,
            message: `${line.sku} came ${days} days ago, past the ${window.window_days}-day window (rule "${window.name}")`,
          });
      });
      return violations;
    },
  };
}

export type ReturnPolicies = ReturnType<typeof createReturnPolicies>;
