/**
 * @module Canned responses: reply templates kept on the server (one per shortcut, a body per locale, optionally
 * for one team) and rendered for a conversation with the customer's, the agent's and the latest order's values,
 * in the customer's language when the response has it. Variables are checked when saved (canned.template.ts).
 */
import type { Db } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import { AppError, notFound } from '../../platform/errors';
import { newId } from '../../platform/ids';
import type { CustomersService } from '../customers';
import {
  cannedFromRow,
  deleteCannedRow,
  findCannedRow,
  insertCanned,
  listCannedRows,
  updateCannedRow,
  type CannedResponse,
} from './canned.repository';
import {
  cannedLocales,
  checkTemplates,
  renderCanned,
  type CannedLocale,
  type CannedVariable,
} from './canned.template';
import { findConversationRow } from './conversation.repository';
import { encodeJson } from '../../platform/db/codecs';

export interface CannedDeps {
  db: Db;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  /** A staff user's display name ({{agent.name}}); wired to the users service. */
  staffName?: ((userId: string) => Promise<string | null>) | undefined;
  /** The customer's latest order ({{order.number}}); wired to commerce. */
  latestOrder?: ((customerId: string) => Promise<{ number: string; status: string } | null>) | undefined;
}

export interface CannedInput {
  shortcut: string;
  title: string;
  body: Partial<Record<CannedLocale, string>> & { en: string };
  team_id?: string | null | undefined;
}

export interface RenderedCanned {
  id: string;
  shortcut: string;
  locale: CannedLocale;
  text: string;
  /** Variables the template uses that had no value for this conversation (rendered empty). */
  missing: CannedVariable[];
}

export function createCanned(deps: CannedDeps) {
  const { db } = deps;

  async function checkTeam(teamId: string | null | undefined) {
    if (!teamId) return;
    const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
    if (!team)
      throw new AppError('validation_failed', `No team ${teamId}.`, {
        errors: [{ field: 'body.team_id', message: 'is not a team' }],
      });
  }

  function duplicate(err: unknown, shortcut: string): never {
    if (isUniqueViolation(err))
      throw new AppError('conflict', `The shortcut /${shortcut} is taken.`, {
        errors: [{ field: 'body.shortcut', message: 'is already used by another canned response' }],
      });
    throw err;
  }

  return {
    /** The ones a user sees (business-wide and her teams'); `userId` null lists all. */
    async listCannedResponses(filter: {
      userId: string | null;
      q?: string | undefined;
      team_id?: string | undefined;
    }) {
      return listCannedRows(db, { visibleToUser: filter.userId, q: filter.q, team_id: filter.team_id });
    },

    async retrieveCannedResponse(id: string): Promise<CannedResponse> {
      const row = await findCannedRow(db, id);
      if (!row) throw notFound('canned response', id);
      return cannedFromRow(row);
    },

    /**
     * Saves a new canned response after checking its variables.
     * @example await canned.createCannedResponse({ shortcut: 'thanks', title: 'Thanks', body: { en: 'Thanks, {{customer.first_name}}!' } }, 'usr_01…')
     */
    async createCannedResponse(input: CannedInput, createdBy: string | null): Promise<CannedResponse> {
      checkTemplates(input.body, 'body.body');
      await checkTeam(input.team_id);
      const id = newId('cnr');
      const now = Date.now();
      await insertCanned(db, {
        id,
        shortcut: input.shortcut,
        title: input.title,
        body: encodeJson(input.body),
        team_id: input.team_id ?? null,
        created_by: createdBy,
        created_at: now,
        updated_at: now,
      }).catch((err: unknown) => duplicate(err, input.shortcut));
      return this.retrieveCannedResponse(id);
    },

    /** Changes the given fields; a body replaces all locales at once. */
    async updateCannedResponse(id: string, patch: Partial<CannedInput>): Promise<CannedResponse> {
      const row = await findCannedRow(db, id);
      if (!row) throw notFound('canned response', id);
      if (patch.body) checkTemplates(patch.body, 'body.body');
      await checkTeam(patch.team_id);
      await updateCannedRow(db, id, {
        ...(patch.shortcut !== undefined ? { shortcut: patch.shortcut } : {}),
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.body !== undefined ? { body: encodeJson(patch.body) } : {}),
        ...(patch.team_id !== undefined ? { team_id: patch.team_id } : {}),
        updated_at: Date.now(),
      }).catch((err: unknown) => duplicate(err, patch.shortcut ?? row.shortcut));
      return this.retrieveCannedResponse(id);
    },

    async deleteCannedResponse(id: string): Promise<void> {
      if ((await deleteCannedRow(db, id)) === 0) throw notFound('canned response', id);
    },

    /**
     * The response's text for one conversation, in the customer's language when the response has it (else
     * English), with the customer's, the agent's and the latest order's values.
     * @example await canned.renderCannedResponse('cnv_01…', 'cnr_01…', 'usr_01…')
     */
    async renderCannedResponse(
      conversationId: string,
      cannedId: string,
      agentId: string | null,
    ): Promise<RenderedCanned> {
      const conversation = await findConversationRow(db, conversationId);
      if (!conversation) throw notFound('conversation', conversationId);
      const canned = await this.retrieveCannedResponse(cannedId);
      const customer = await deps.customers.retrieveCustomer(conversation.customer_id).catch(() => null);
      const wanted = (customer?.locale ?? 'en').slice(0, 2).toLowerCase();
      const locale: CannedLocale =
        (cannedLocales as readonly string[]).includes(wanted) && canned.body[wanted as CannedLocale]
          ? (wanted as CannedLocale)
          : 'en';
      const agentName = agentId && deps.staffName ? await deps.staffName(agentId) : null;
      const order = customer && deps.latestOrder ? await deps.latestOrder(customer.id) : null;
      const name = [customer?.first_name, customer?.last_name].filter(Boolean).join(' ');
      const values: Record<CannedVariable, string | null> = {
        'customer.first_name': customer?.first_name ?? null,
        'customer.last_name': customer?.last_name ?? null,
        'customer.name': name || null,
        'customer.email': customer?.emails[0] ?? null,
        'agent.name': agentName,
        'agent.first_name': agentName?.split(/\s+/)[0] ?? null,
        'order.number': order ? String(order.number) : null,
        'order.status': order?.status ?? null,
        'conversation.id': conversation.id,
      };
      const nested: Record<string, Record<string, string | null>> = {};
      for (const [key, value] of Object.entries(values)) {
        const [group, field] = key.split('.') as [string, string];
        (nested[group] ??= {})[field] = value;
      }
      const template = canned.body[locale] ?? canned.body.en;
      const used = Object.keys(values).filter((k) => template.includes(k)) as CannedVariable[];
      return {
        id: canned.id,
        shortcut: canned.shortcut,
        locale,
        text: renderCanned(template, nested),
        missing: used.filter((k) => values[k] === null),
      };
    },
  };
}

export type CannedService = ReturnType<typeof createCanned>;
