/**
 * @module CSAT's public page (the signed link in survey emails: `GET /csat/:token` shows the 1–5 form, `POST`
 * records it) and the privacy handler for the bot and survey tables that hold customer data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import { strictObject } from '../../platform/http/schemas';
import type { PrivacyHandler } from '../../platform/privacy/privacy';
import type { BotLocale } from './bot.intents';
import type { CsatService } from './csat.service';

const page: Record<
  BotLocale,
  { ask: string; comment: string; send: string; thanks: string; closed: string }
> = {
  en: {
    ask: 'How did we do?',
    comment: 'Anything to add? (optional)',
    send: 'Send',
    thanks: 'Thank you for your rating!',
    closed: 'This survey has been answered or has expired.',
  },
  es: {
    ask: '¿Qué tal te hemos atendido?',
    comment: '¿Algo más? (opcional)',
    send: 'Enviar',
    thanks: '¡Gracias por tu valoración!',
    closed: 'Esta encuesta ya se respondió o ha caducado.',
  },
  ru: {
    ask: 'Как мы справились?',
    comment: 'Хотите что-то добавить? (необязательно)',
    send: 'Отправить',
    thanks: 'Спасибо за оценку!',
    closed: 'На этот опрос уже ответили, или срок его действия истёк.',
  },
};

const html = (locale: string, body: string) =>
  `<!doctype html><html lang="${locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>CSAT</title><body style="font-family:sans-serif;max-width:28rem;margin:3rem auto">${body}</body></html>`;

const Token = strictObject({
  token: Type.String({ minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
});

export function csatRoutes(csat: CsatService): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The page's form posts urlencoded; parsed here, for these routes only.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.get(
      '/csat/:token',
      { config: { access: 'public' }, schema: { hide: true, params: Token } },
      async (request, reply) => {
        const survey = await csat.retrieveSurveyByToken(request.params.token);
        const t = page[survey.locale as BotLocale] ?? page.en;
        const buttons = [1, 2, 3, 4, 5]
          .map((n) => `<label><input type="radio" name="rating" value="${n}" required> ${n}</label>`)
          .join(' ');
        return reply
          .type('text/html; charset=utf-8')
          .send(
            html(
              survey.locale,
              survey.open
                ? `<h1>${t.ask}</h1><form method="post"><p>${buttons}</p><p><label>${t.comment}<br>` +
                    `<textarea name="comment" maxlength="2000" rows="4" cols="40"></textarea></label></p>` +
                    `<button>${t.send}</button></form>`
                : `<p>${t.closed}</p>`,
            ),
          );
      },
    );
    app.post(
      '/csat/:token',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          params: Token,
          body: strictObject({
            rating: Type.String({ pattern: '^[1-5]$' }),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
          }),
        },
      },
      async (request, reply) => {
        const survey = await csat.retrieveSurveyByToken(request.params.token);
        await csat.answerSurveyByToken(request.params.token, {
          rating: Number(request.body.rating),
          comment: request.body.comment?.trim() || null,
        });
        const t = page[survey.locale as BotLocale] ?? page.en;
        return reply.type('text/html; charset=utf-8').send(html(survey.locale, `<p>${t.thanks}</p>`));
      },
    );
  };
}

const none = (ids: string[]) => (ids.length ? ids : ['']);

/** Surveys are the person's ratings and words; the bot's memory and queue only name their conversations. */
export const csatPrivacyHandler: PrivacyHandler = {
  name: 'csat',
  tables: ['csat_surveys', 'bot_states', 'bot_tasks'],
  async export(db, subject) {
    const rows = await db
      .selectFrom('csat_surveys')
      .selectAll()
      .where('customer_id', 'in', none(subject.customerIds))
      .orderBy('id')
      .execute();
    return {
      csat_surveys: rows.map((r) => ({
        id: r.id,
        conversation_id: r.conversation_id,
        channel_id: r.channel_id,
        status: r.status,
        rating: r.rating === null ? null : Number(r.rating),
        comment: r.comment,
        sent_at: toIsoRequired(Number(r.sent_at)),
        answered_at: toIso(r.answered_at === null ? null : Number(r.answered_at)),
      })),
    };
  },
  async erase(trx, subject) {
    const ids = none(subject.customerIds);
    const conversations = trx.selectFrom('conversations').select('id').where('customer_id', 'in', ids);
    await trx.deleteFrom('bot_states').where('conversation_id', 'in', conversations).execute();
    await trx.deleteFrom('bot_tasks').where('conversation_id', 'in', conversations).execute();
    await trx.deleteFrom('csat_surveys').where('customer_id', 'in', ids).execute();
  },
};
