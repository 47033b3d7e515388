/**
 * @module The preference centre behind a customer token: what the customer sees about themselves, their consent
 * changes (recorded through the consent service with source `customer` and the wording they were shown),
 * preferred channel, quiet hours, timezone and language, their data export, and their erasure request (a request
 * staff confirm: see self-service.erasure.ts). The export, by contrast, is immediate: it changes nothing, and it is
 * the same archive staff download.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import { mergedFamily, survivorOf } from './customer.repository';
import type { CustomersService } from './customer.service';
import { upsertPreferences } from './consent.repository';
import type { ConsentService } from './consent.service';
import {
  communicationChannels,
  isValidTimeZone,
  type CommunicationChannel,
  type ConsentPurpose,
  type RecordableStatus,
} from './consent.rules';
import type { CustomerPrivacyService } from './privacy';
import { createErasureRequests, customerActor, type CustomerCaller } from './self-service.erasure';
import { erasureRequestFromRow, findLatestErasureRequest } from './self-service.repository';
import type { AccessTokens } from './self-service.tokens';

export type { CustomerCaller };

export interface MyConsentInput {
  purpose: ConsentPurpose;
  channel?: CommunicationChannel | undefined;
  status: RecordableStatus;
  /** What the customer was shown: the wording (in their language) and the version of the wording set. */
  evidence: { wording: string; version: string };
}

export interface MyPreferencesInput {
  preferred_channel: CommunicationChannel | null;
  quiet_hours: { start: string; end: string } | null;
  /** IANA zone of the profile; quiet hours are kept in it. Omitted: unchanged. */
  timezone?: string | null | undefined;
  /** The language Omnis writes to the customer in. Omitted: unchanged. */
  locale?: string | undefined;
}

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export const selfServiceEventTypes: EventTypeDefinition[] = [
  {
    type: 'customer.access_link_created',
    description:
      'A self-service (preference centre) link was minted for a message (the token is never in it)',
    permission: 'customers:read',
  },
  {
    type: 'customer.access_link_requested',
    description:
      'A customer asked for a self-service link; the sender issues it with issueRequestedLink(request_id)',
    permission: 'customers:read',
  },
  {
    type: 'customer.access_links_revoked',
    description: 'Self-service links of a customer were revoked',
    permission: 'customers:read',
  },
  {
    type: 'customer.erasure_requested',
    description: 'A customer asked to be erased; staff confirm or reject it',
    permission: 'customers:read',
  },
  {
    type: 'customer.erasure_request_cancelled',
    description: 'A customer withdrew their erasure request',
    permission: 'customers:read',
  },
  {
    type: 'customer.erasure_request_rejected',
    description: 'Staff rejected an erasure request (data.reason says why)',
    permission: 'customers:read',
  },
];

export function createSelfService(deps: {
  db: Db;
  events: EventBus;
  tokens: AccessTokens;
  customers: CustomersService;
  consent: ConsentService;
  privacy: CustomerPrivacyService;
}) {
  const { db, tokens } = deps;
  const erasure = createErasureRequests(deps);

  async function familyOf(customerId: string) {
    const profile = await survivorOf(db, customerId);
    if (!profile || profile.status === 'erased') throw notFound('customer', customerId);
    return { profile, family: await mergedFamily(db, profile.id) };
  }

  /** A link sent to an email address that still belongs to the customer proves they read that mailbox. */
  async function linkProvesEmail(caller: CustomerCaller, family: string[]): Promise<boolean> {
    const token = await tokens.retrieveToken(caller.tokenId);
    if (token?.sent_via !== 'email' || !token.sent_to_identifier_id) return false;
    const identifier = await db
      .selectFrom('customer_identifiers')
      .select('customer_id')
      .where('id', '=', token.sent_to_identifier_id)
      .where('type', '=', 'email')
      .executeTakeFirst();
    return identifier !== undefined && family.includes(identifier.customer_id);
  }

  /**
   * Everything the preference page shows: the customer's name and language, consents, preferences, the link
   * in use and their latest erasure request.
   * @example const me = await selfService.retrieveMe({ customerId, tokenId, channelId })
   */
  async function retrieveMe(caller: CustomerCaller) {
    const customer = await deps.customers.retrieveCustomer(caller.customerId);
    const { family } = await familyOf(customer.id);
    const { consents, preferences } = await deps.consent.listConsents(customer.id);
    const latest = await findLatestErasureRequest(db, family);
    const token = await tokens.retrieveToken(caller.tokenId);
    return {
      customer: {
        id: customer.id,
        first_name: customer.first_name,
        locale: customer.locale,
        timezone: customer.timezone,
      },
      consents: consents.map((c) => ({
        purpose: c.purpose,
        channel: c.channel,
        status: c.status,
        source: c.source.type,
        occurred_at: c.occurred_at,
      })),
      preferences: { preferred_channel: preferences.preferred_channel, quiet_hours: preferences.quiet_hours },
      // The latest request, whatever became of it: a rejection and its reason are the customer's to see.
      erasure_request: latest ? erasureRequestFromRow(latest) : null,
      link: {
        expires_at: new Date(token?.expires_at ?? Date.now()).toISOString(),
        proves_email: await linkProvesEmail(caller, family),
      },
    };
  }

  return {
    retrieveMe,

    /**
     * Records the customer's own consent changes (source `customer`, the link's channel, the wording shown).
     * Granting email marketing through a link that came by email confirms the address at once; through any
     * other link it waits for double opt-in and a link is mailed to the customer's address to confirm.
     * @example await selfService.recordMyConsents(caller, [{ purpose: 'marketing', channel: 'email', status: 'withdrawn', evidence: { wording: 'Offers by email', version: 'v1' } }], {})
     */
    async recordMyConsents(
      caller: CustomerCaller,
      inputs: MyConsentInput[],
      context: { ip?: string | undefined; userAgent?: string | undefined },
    ) {
      const evidenceContext = {
        ...(context.ip ? { ip: context.ip } : {}),
        ...(context.userAgent ? { user_agent: context.userAgent } : {}),
      };
      const recorded = await deps.consent.recordConsents(
        caller.customerId,
        inputs.map((input) => ({
          purpose: input.purpose,
          channel: input.channel ?? null,
          status: input.status,
          source: { type: 'customer' as const, channel_id: caller.channelId },
          evidence: { ...input.evidence, ...evidenceContext },
        })),
        customerActor(caller),
      );
      const { family } = await familyOf(recorded.customer_id);
      const proven = await linkProvesEmail(caller, family);
      let confirmationRequested = false;
      const consents = [];
      for (const c of recorded.consents) {
        let status: string = c.status;
        // The confirmation token never reaches the browser: whoever holds the link has not shown they hold
        // the mailbox, unless the link itself came through it.
        if (c.confirmation && proven) {
          const confirmed = await deps.consent.confirmConsent(c.confirmation.token, {
            channelId: caller.channelId,
            ...(context.ip ? { ip: context.ip } : {}),
            ...(context.userAgent ? { userAgent: context.userAgent } : {}),
          });
          status = confirmed.consent.status;
        } else if (c.confirmation && !confirmationRequested) {
          confirmationRequested = await tokens.requestEmailConfirmation(
            recorded.customer_id,
            caller.channelId,
          );
        }
        consents.push({ id: c.id, purpose: c.purpose, channel: c.channel, status, current: c.current });
      }
      return { customer_id: recorded.customer_id, consents, confirmation_requested: confirmationRequested };
    },

    /**
     * Sets preferred channel, quiet hours, and the profile's timezone and language, all in one transaction:
     * everything is checked before anything is written, and a failure while writing leaves nothing half-saved.
     * @example await selfService.updateMyPreferences(caller, { preferred_channel: 'email', quiet_hours: { start: '21:00', end: '08:00' }, timezone: 'Europe/Madrid', locale: 'es' })
     */
    async updateMyPreferences(caller: CustomerCaller, input: MyPreferencesInput) {
      const customer = await deps.customers.retrieveCustomer(caller.customerId);
      const errors: FieldError[] = [];
      if (input.timezone != null && !isValidTimeZone(input.timezone))
        errors.push({ field: 'body.timezone', message: 'is not an IANA time zone' });
      const zone = input.timezone !== undefined ? input.timezone : customer.timezone;
      if (input.quiet_hours) {
        if (input.quiet_hours.start === input.quiet_hours.end)
          errors.push({ field: 'body.quiet_hours.end', message: 'must differ from start' });
        if (!zone || !isValidTimeZone(zone))
          errors.push({ field: 'body.timezone', message: 'is required to keep quiet hours' });
      }
      if (input.preferred_channel !== null && !communicationChannels.includes(input.preferred_channel))
        errors.push({
          field: 'body.preferred_channel',
          message: `must be one of ${communicationChannels.join(', ')}`,
        });
      if (errors.length) throw invalid(errors);
      const actor = customerActor(caller);
      const profilePatch = {
        ...(input.timezone !== undefined && input.timezone !== customer.timezone
          ? { timezone: input.timezone }
          : {}),
        ...(input.locale !== undefined && input.locale !== customer.locale ? { locale: input.locale } : {}),
      };
      const fields = Object.keys(profilePatch);
      // One unit of work: the customer pressed one Save, so a language saved without its quiet hours (or the
      // other way round) would be a change they never made. The customers and consent services each open their
      // own transaction on the app's database, so the two writes and their events are made here, on one `trx`.
      await inTransaction(db, async (trx) => {
        if (fields.length > 0) {
          // Guarded on status rather than read-then-write: a profile merged or erased since it was read above
          // is not written, and the whole save rolls back.
          const updated = await trx
            .updateTable('customers')
            .set({ ...profilePatch, updated_at: Date.now() })
            .where('id', '=', customer.id)
            .where('status', '=', 'active')
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1)
            throw new AppError(
              'conflict',
              `Customer ${customer.id} was merged or erased meanwhile; read it again.`,
            );
          await deps.events.append(trx, {
            type: 'customer.updated',
            aggregate: { type: 'customer', id: customer.id },
            customerId: customer.id,
            actor,
            data: { id: customer.id, fields },
          });
        }
        // Quiet hours follow the profile's timezone (no zone of their own), so moving house moves them too.
        await upsertPreferences(trx, {
          customer_id: customer.id,
          preferred_channel: input.preferred_channel,
          quiet_hours_start: input.quiet_hours?.start ?? null,
          quiet_hours_end: input.quiet_hours?.end ?? null,
          quiet_hours_timezone: null,
          updated_at: Date.now(),
        });
        await deps.events.append(trx, {
          type: 'preferences.updated',
          aggregate: { type: 'customer', id: customer.id },
          customerId: customer.id,
          actor,
          data: {
            customer_id: customer.id,
            preferred_channel: input.preferred_channel,
            quiet_hours: input.quiet_hours !== null,
          },
        });
      });
      return retrieveMe(caller);
    },

    /** The same archive staff download (right of access, GDPR Art. 15/20). */
    exportMe: (caller: CustomerCaller) => deps.privacy.exportCustomer(caller.customerId),

    ...erasure,
  };
}

export type SelfService = ReturnType<typeof createSelfService>;
