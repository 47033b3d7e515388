/** @module Routes: auto-reply rules (`/v1/bot-rules`), the bot's settings, and the handoff action for external bots. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, IsoTime, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { botLocales } from './bot.intents';
import type { BotService } from './bot.service';

const tags = ['bots'];
const Locale = Type.Enum([...botLocales]);
const Answer = strictObject({
  en: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  es: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  ru: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
});
const RuleFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  position: Type.Integer({ minimum: 0, maximum: 100_000 }),
  active: Type.Boolean(),
  languages: Type.Array(Locale, { maxItems: 3 }),
  channel_kinds: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 }),
  keywords: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }),
  pattern: Nullable(Type.String({ minLength: 1, maxLength: 200 })),
  answer: Answer,
  handoff: Type.Boolean({ description: 'Hand the conversation to people after answering' }),
};
const RuleSchema = Type.Object({
  id: Type.String(),
  ...RuleFields,
  created_at: IsoTime,
  updated_at: IsoTime,
});
const Span = strictObject({
  open: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  close: Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' }),
});
const day = Type.Optional(Type.Array(Span, { maxItems: 6 }));
const Calendar = strictObject({
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  weekly: Nullable(strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day })),
  holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 400 }),
});
const SettingsFields = {
  enabled: Type.Boolean(),
  handoff_after_failures: Type.Integer({ minimum: 0, maximum: 20 }),
  out_of_hours_reply: Type.Boolean(),
  business_hours: Nullable(Calendar),
  external_url: Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })),
  csat_enabled: Type.Boolean(),
  csat_expires_hours: Type.Integer({ minimum: 1, maximum: 24 * 30 }),
};
const SettingsSchema = Type.Object({
  ...SettingsFields,
  external_secret_set: Type.Boolean(),
  external_secret: Type.Optional(
    Type.String({ description: 'The external bot’s signing secret: shown once, when created or rotated' }),
  ),
});

export function botRoutes(bot: BotService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/bot-rules',
      {
        config: { access: 'conversations:read' },
        schema: { tags, summary: 'Auto-reply rules, by position', response: { 200: listOf(RuleSchema) } },
      },
      async () => ({ data: await bot.listBotRules(), next_cursor: null }),
    );
    app.post(
      '/v1/bot-rules',
      {
        config: { access: 'channels:write', audit: 'bot_rule.create' },
        schema: {
          tags,
          summary: 'Create an auto-reply rule: keywords or a regex, per language and channel kind',
          body: strictObject({
            ...RuleFields,
            position: Type.Optional(RuleFields.position),
            active: Type.Optional(RuleFields.active),
            languages: Type.Optional(RuleFields.languages),
            channel_kinds: Type.Optional(RuleFields.channel_kinds),
            keywords: Type.Optional(RuleFields.keywords),
            pattern: Type.Optional(RuleFields.pattern),
            handoff: Type.Optional(RuleFields.handoff),
          }),
          response: { 201: RuleSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const rule = await bot.createBotRule({
          name: b.name,
          position: b.position ?? 100,
          active: b.active ?? true,
          languages: b.languages ?? [],
          channel_kinds: b.channel_kinds ?? [],
          keywords: b.keywords ?? [],
          pattern: b.pattern ?? null,
          answer: b.answer,
          handoff: b.handoff ?? false,
        });
        return reply.status(201).send(rule);
      },
    );
    app.patch(
      '/v1/bot-rules/:id',
      {
        config: { access: 'channels:write', audit: 'bot_rule.update' },
        schema: {
          tags,
          summary: 'Change an auto-reply rule',
          params: IdParams,
          body: Type.Partial(strictObject(RuleFields)),
          response: { 200: RuleSchema },
        },
      },
      async (request) => bot.updateBotRule(request.params.id, request.body),
    );
    app.delete(
      '/v1/bot-rules/:id',
      {
        config: { access: 'channels:write', audit: 'bot_rule.delete' },
        schema: { tags, summary: 'Delete an auto-reply rule', params: IdParams },
      },
      async (request, reply) => {
        await bot.deleteBotRule(request.params.id);
        return reply.status(204).send();
      },
    );
    app.get(
      '/v1/bot-settings',
      {
        config: { access: 'channels:read' },
        schema: { tags, summary: 'The bot’s settings', response: { 200: SettingsSchema } },
      },
      async () => bot.retrieveBotSettings(),
    );
    app.patch(
      '/v1/bot-settings',
      {
        config: { access: 'channels:write', audit: 'bot_settings.update' },
        schema: {
          tags,
          summary: 'Change the bot’s settings; setting an external bot URL returns its signing secret once',
          body: strictObject({
            ...Type.Partial(Type.Object(SettingsFields)).properties,
            rotate_external_secret: Type.Optional(Type.Boolean()),
          }),
          response: { 200: SettingsSchema },
        },
      },
      async (request) => bot.updateBotSettings(request.body),
    );
    app.post(
      '/v1/conversations/:id/handoff',
      {
        config: { access: 'conversations:write', audit: 'conversation.handoff' },
        schema: {
          tags,
          summary: 'Hand the conversation from the bot to people (the external bot’s action)',
          params: IdParams,
          response: { 200: Type.Object({ handed_off: Type.Boolean() }) },
        },
      },
      async (request) => bot.handOffConversation(request.params.id),
    );
  };
}
