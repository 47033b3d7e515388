/**
 * @module Auto-reply rules: CRUD with validation (a bad regex is refused naming the field) and the matcher. A rule
 * matches when its languages and channel kinds allow the message (empty: any) and any keyword appears as a whole
 * word or phrase, or its pattern matches. Rules are tried by position; the first match answers.
 */
import { AppError, notFound } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { listRuleRows, ruleFromRow, ruleToRow, type BotRule, type BotRuleInput } from './bot.repository';
import type { BotLocale } from './bot.intents';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(pattern: string, field: string): RegExp {
  try {
    return new RegExp(pattern, 'iu');
  } catch (err) {
    throw new AppError('validation_failed', `The pattern is not a valid regular expression.`, {
      errors: [{ field, message: (err as Error).message }],
    });
  }
}

function validate(input: BotRuleInput) {
  const errors: Array<{ field: string; message: string }> = [];
  if (!input.keywords.length && !input.pattern)
    errors.push({ field: 'body.keywords', message: 'a rule needs keywords or a pattern' });
  if (!Object.values(input.answer).some((a) => a && a.trim()) && !input.handoff)
    errors.push({ field: 'body.answer', message: 'needs a text in at least one language (or handoff)' });
  if (errors.length) throw new AppError('validation_failed', 'The rule is incomplete.', { errors });
  if (input.pattern) compile(input.pattern, 'body.pattern');
}

/** The first rule that fits the message, by position. */
export function matchRule(
  rules: BotRule[],
  message: { text: string; locale: BotLocale; channelKind: string | null },
): BotRule | null {
  for (const rule of rules) {
    if (!rule.active) continue;
    if (rule.languages.length && !rule.languages.includes(message.locale)) continue;
    if (rule.channel_kinds.length && !rule.channel_kinds.includes(message.channelKind ?? '')) continue;
    const keyword = rule.keywords.some((k) =>
      new RegExp(`(?<![\\p{L}\\p{N}])${escape(k.trim())}(?![\\p{L}\\p{N}])`, 'iu').test(message.text),
    );
    if (keyword || (rule.pattern && compile(rule.pattern, 'pattern').test(message.text))) return rule;
  }
  return null;
}

export function createBotRules(db: Db) {
  async function retrieveBotRule(id: string): Promise<BotRule> {
    const row = await db.selectFrom('bot_rules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('bot rule', id);
    return ruleFromRow(row);
  }
  return {
    retrieveBotRule,
    listBotRules: () => listRuleRows(db),
    activeRules: () => listRuleRows(db, true),

    /** @example await bot.createBotRule({ name: 'Opening hours', keywords: ['open'], answer: { en: 'We open at 9' }, … }) */
    async createBotRule(input: BotRuleInput): Promise<BotRule> {
      validate(input);
      const id = newId('brl');
      const now = Date.now();
      await db
        .insertInto('bot_rules')
        .values({ id, ...ruleToRow(input), created_at: now, updated_at: now })
        .execute();
      return retrieveBotRule(id);
    },

    async updateBotRule(id: string, patch: Partial<BotRuleInput>): Promise<BotRule> {
      const current = await retrieveBotRule(id);
      const next = { ...current, ...patch };
      validate(next);
      await db
        .updateTable('bot_rules')
        .set({ ...ruleToRow(next), updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
      return retrieveBotRule(id);
    },

    async deleteBotRule(id: string): Promise<void> {
      const result = await db.deleteFrom('bot_rules').where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) throw notFound('bot rule', id);
    },
  };
}
