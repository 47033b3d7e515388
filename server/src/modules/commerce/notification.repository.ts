/** @module Queries of customer notifications (functions take `db | trx` first) and the row mapper. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import { decodeJson } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { NotificationRow, ReceiptLinkRow } from './notification.table';

export const notificationStatuses = ['queued', 'sent', 'failed', 'skipped'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

/** What a provider may report after the hand-over (Twilio's MessageStatus values Omnis keeps). */
export const deliveryStatuses = ['queued', 'sent', 'delivered', 'undelivered', 'failed', 'read'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
/**
 * Reports arrive out of order (Twilio posts each from its own worker): a report only moves a row forward. The
 * final outcomes share a rank, so a late `failed` never overwrites `delivered`.
 */
const deliveryRank: Record<DeliveryStatus, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  undelivered: 2,
  failed: 2,
  read: 3,
};

export interface Notification {
  id: string;
  customer_id: string | null;
  order_id: string;
  fulfilment_id: string | null;
  kind: string;
  channel_kind: 'email' | 'sms';
  channel_id: string | null;
  address: string | null;
  locale: string | null;
  status: NotificationStatus;
  /** Why it failed or was skipped. */
  error: string | null;
  provider_message_id: string | null;
  /** The provider's last delivery report (Twilio's status callbacks); null until one arrives. */
  delivery_status: DeliveryStatus | null;
  /** The provider's error code with an undelivered or failed report. */
  delivery_error: string | null;
  delivery_updated_at: string | null;
  subject: string | null;
  data: Record<string, unknown>;
  attempts: number;
  created_at: string;
  updated_at: string;
}

/** The one mapper: the rendered body never leaves the table (a pickup notice holds the code). */
export function notificationFromRow(row: Selectable<NotificationRow>): Notification {
  return {
    id: row.id,
    customer_id: row.customer_id,
    order_id: row.order_id,
    fulfilment_id: row.fulfilment_id,
    kind: row.kind,
    channel_kind: row.channel_kind as 'email' | 'sms',
    channel_id: row.channel_id,
    address: row.address,
    locale: row.locale,
    status: row.status as NotificationStatus,
    error: row.error,
    provider_message_id: row.provider_message_id,
    delivery_status: row.delivery_status as DeliveryStatus | null,
    delivery_error: row.delivery_error,
    delivery_updated_at:
      row.delivery_updated_at === null ? null : new Date(Number(row.delivery_updated_at)).toISOString(),
    subject: row.subject,
    data: decodeJson<Record<string, unknown>>(row.data) ?? {},
    attempts: Number(row.attempts),
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  };
}

export async function insertNotification(db: DbOrTrx, row: Insertable<NotificationRow>): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

export function findNotificationRow(db: DbOrTrx, id: string) {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listNotificationRows(
  db: DbOrTrx,
  filter: PageRequest & { order_id?: string | undefined; customer_id?: string | undefined },
): Promise<Page<Notification>> {
  let q = db.selectFrom('notifications').selectAll();
  if (filter.order_id) q = q.where('order_id', '=', filter.order_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  return paginate(q, 'id', filter, notificationFromRow);
}

/** Queued rows whose lease is free (never claimed, or the worker holding it died), oldest first. */
export async function dueNotificationIds(db: DbOrTrx, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes a queued row's lease with a guarded UPDATE (still queued, lease free): true for the one worker that won.
 * Counting the attempt here means a row whose sending kills the process is not retried for ever unnoticed.
 */
export async function claimNotification(db: DbOrTrx, id: string, now: number, leaseMs: number) {
  const result = await db
    .updateTable('notifications')
    .set((eb) => ({ claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves a queued row to its outcome; the body is dropped with it. False when it had already moved. */
export async function settleNotification(
  db: DbOrTrx,
  id: string,
  patch: Updateable<NotificationRow> & { status: Exclude<NotificationStatus, 'queued'> },
) {
  const result = await db
    .updateTable('notifications')
    .set({ ...patch, body_text: null, body_html: null, claimed_until: null, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateQueuedNotification(db: DbOrTrx, id: string, patch: Updateable<NotificationRow>) {
  await db
    .updateTable('notifications')
    .set({ ...patch, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** The row a provider's message id names on a channel (Twilio's MessageSid), if Omnis sent it as a notification. */
export function findNotificationByProviderId(db: DbOrTrx, channelId: string, providerMessageId: string) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirst();
}

/**
 * Applies a delivery report with a guarded UPDATE: only when it moves the row forward (see `deliveryRank`), so two
 * reports racing each other leave the later stage whatever order they commit in. False when it changed nothing.
 */
export async function applyDeliveryReport(
  db: DbOrTrx,
  id: string,
  report: { status: DeliveryStatus; error: string | null; at: number },
): Promise<boolean> {
  const behind = deliveryStatuses.filter((s) => deliveryRank[s] < deliveryRank[report.status]);
  const result = await db
    .updateTable('notifications')
    .set({
      delivery_status: report.status,
      delivery_error: report.error,
      delivery_updated_at: report.at,
      updated_at: report.at,
    })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('delivery_status', 'is', null),
        ...(behind.length ? [eb('delivery_status', 'in', behind)] : []),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Queued pickup notices of a fulfilment: they carry a code that a re-issued one replaces. */
export function queuedPickupNotices(db: DbOrTrx, fulfilmentId: string) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('fulfilment_id', '=', fulfilmentId)
    .where('kind', '=', 'pickup_ready')
    .where('status', '=', 'queued')
    .execute();
}

export async function insertReceiptLink(db: DbOrTrx, row: Insertable<ReceiptLinkRow>): Promise<void> {
  await db.insertInto('receipt_links').values(row).execute();
}

export function findReceiptLinkByHash(db: DbOrTrx, tokenHash: string) {
  return db.selectFrom('receipt_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Counts a read of a receipt page (the audit log has who-and-when; this keeps the total beside the link). */
export async function countReceiptLinkRead(db: DbOrTrx, id: string, at: number): Promise<void> {
  await db
    .updateTable('receipt_links')
    .set((eb) => ({ read_count: eb('read_count', '+', 1), last_read_at: at }))
    .where('id', '=', id)
    .execute();
}
