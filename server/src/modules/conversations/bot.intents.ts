/**
 * @module What the built-in bot understands and says, in English, Spanish and Russian: the language of a message,
 * a request for a human, "where is my order 1042?", answer templates with {{variables}}, and the bot's own lines
 * (order status, handoff, out of hours, the CSAT survey). Pure functions: no database, easy to test and extend.
 */

export const botLocales = ['en', 'es', 'ru'] as const;
export type BotLocale = (typeof botLocales)[number];

/** A whole word in any script: JavaScript's \b only knows ASCII letters, so Cyrillic needs lookarounds. */
const word = (alternatives: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu');

const handoffWords: Record<BotLocale, RegExp> = {
  en: word('agent|human|person|operator|representative|someone real'),
  es: word('humano|agente|persona|operador|asesor'),
  ru: word('оператор\\p{L}*|человек\\p{L}*|агент\\p{L}*|менеджер\\p{L}*'),
};

const orderWords: Record<BotLocale, RegExp> = {
  en: word('order'),
  es: word('pedido|orden'),
  ru: word('заказ\\p{L}*'),
};

/** Words that say which language a message is in, besides the intent words themselves. */
const languageHints: Record<BotLocale, RegExp> = {
  en: word('where|is|my|the|hello|hi|please|thanks|what|when'),
  es: word('dónde|donde|está|esta|mi|hola|gracias|por favor|cuándo|qué'),
  ru: /\p{Script=Cyrillic}/u,
};

/** The message's language by its words; null when nothing tells. */
export function detectLanguage(text: string): BotLocale | null {
  if (languageHints.ru.test(text)) return 'ru';
  const score = (l: 'en' | 'es') =>
    (text.match(new RegExp(languageHints[l].source, 'giu'))?.length ?? 0) +
    (orderWords[l].test(text) ? 2 : 0);
  const es = score('es') + (/[ñ¿¡áéíóú]/i.test(text) ? 2 : 0);
  const en = score('en');
  if (es === 0 && en === 0) return null;
  return es > en ? 'es' : 'en';
}

/** The locale the bot answers in: the customer's profile locale, else the message's language, else English. */
export function replyLocale(customerLocale: string | null, text: string): BotLocale {
  const profile = customerLocale?.slice(0, 2).toLowerCase();
  if (profile && (botLocales as readonly string[]).includes(profile)) return profile as BotLocale;
  return detectLanguage(text) ?? 'en';
}

export const asksForHuman = (text: string) => botLocales.some((l) => handoffWords[l].test(text));

/** "where is my order 1042?", "¿dónde está mi pedido #1042?", "где мой заказ 1042?" → 1042. */
export function orderNumberAskedFor(text: string): number | null {
  for (const l of botLocales) {
    const m = orderWords[l].exec(text);
    if (!m) continue;
    const after = /^\D{0,20}?#?\s*(\d{1,12})(?!\d)/u.exec(text.slice(m.index + m[0].length));
    if (after) return Number(after[1]);
  }
  return null;
}

/** Replaces {{name}} and {{dotted.name}} with the variable's value; unknown variables become empty. */
export function renderTemplate(template: string, variables: Record<string, string | number | null>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => String(variables[name] ?? ''));
}

type Lines = Record<
  | 'order_status'
  | 'order_fulfilment'
  | 'order_tracking'
  | 'order_unknown'
  | 'handoff'
  | 'handoff_closed'
  | 'out_of_hours'
  | 'csat_text'
  | 'csat_email'
  | 'csat_thanks'
  | 'not_understood',
  string
>;

export const botLines: Record<BotLocale, Lines> = {
  en: {
    order_status: 'Order {{number}} is {{status}}.',
    order_fulfilment: '{{step}}: {{status}}',
    order_tracking: 'Track it here: {{url}}',
    order_unknown:
      'I could not find order {{number}} under your name. Please check the number, or write "agent" to talk to a person.',
    handoff: 'I am passing you to a colleague, who will answer here shortly.',
    not_understood:
      'Sorry, I did not understand. Could you say it another way, or write "agent" to talk to a person?',
    handoff_closed: 'We are closed right now. A colleague will answer here as soon as we open again.',
    out_of_hours:
      'Thanks for your message! We are closed right now and will answer as soon as we open again.',
    csat_text: 'How did we do? Reply with a number from 1 (poor) to 5 (great), and a comment if you like.',
    csat_email: 'How did we do? Rate our help from 1 to 5: {{url}}',
    csat_thanks: 'Thank you for your rating!',
  },
  es: {
    order_status: 'El pedido {{number}} está {{status}}.',
    order_fulfilment: '{{step}}: {{status}}',
    order_tracking: 'Puedes seguirlo aquí: {{url}}',
    order_unknown:
      'No encuentro el pedido {{number}} a tu nombre. Revisa el número o escribe "agente" para hablar con una persona.',
    handoff: 'Te paso con un compañero, que te responderá aquí en breve.',
    not_understood:
      'Perdona, no te he entendido. ¿Puedes decirlo de otra forma, o escribir "agente" para hablar con una persona?',
    handoff_closed: 'Ahora estamos cerrados. Un compañero te responderá aquí en cuanto abramos.',
    out_of_hours: '¡Gracias por tu mensaje! Ahora estamos cerrados y te responderemos en cuanto abramos.',
    csat_text:
      '¿Qué tal te hemos atendido? Responde con un número del 1 (mal) al 5 (excelente) y, si quieres, un comentario.',
    csat_email: '¿Qué tal te hemos atendido? Valora nuestra ayuda del 1 al 5: {{url}}',
    csat_thanks: '¡Gracias por tu valoración!',
  },
  ru: {
    order_status: 'Заказ {{number}}: {{status}}.',
    order_fulfilment: '{{step}}: {{status}}',
    order_tracking: 'Отследить посылку: {{url}}',
    order_unknown:
      'Я не нашёл заказ {{number}} на ваше имя. Проверьте номер или напишите «оператор», чтобы поговорить с человеком.',
    handoff: 'Передаю вас коллеге — он скоро ответит здесь.',
    not_understood:
      'Извините, я не понял. Скажите, пожалуйста, иначе или напишите «оператор», чтобы поговорить с человеком.',
    handoff_closed: 'Сейчас мы закрыты. Коллега ответит здесь, как только мы откроемся.',
    out_of_hours: 'Спасибо за сообщение! Сейчас мы закрыты и ответим, как только откроемся.',
    csat_text: 'Как мы справились? Ответьте цифрой от 1 (плохо) до 5 (отлично) и, если хотите, комментарием.',
    csat_email: 'Как мы справились? Оцените нашу помощь от 1 до 5: {{url}}',
    csat_thanks: 'Спасибо за оценку!',
  },
};

/** Order and fulfilment states in the customer's words; an unknown state is shown as it is. */
const statusWords: Record<BotLocale, Record<string, string>> = {
  en: {
    pending: 'waiting for payment',
    paid: 'paid and being prepared',
    fulfilling: 'being prepared',
    completed: 'completed',
    cancelled: 'cancelled',
    picked: 'picked',
    packed: 'packed',
    shipped: 'shipped',
    out_for_delivery: 'out for delivery',
    delivered: 'delivered',
    ready_for_pickup: 'ready for pickup',
    collected: 'collected',
    expired: 'expired',
    ship: 'Delivery',
    pickup: 'Pickup in store',
  },
  es: {
    pending: 'pendiente de pago',
    paid: 'pagado y en preparación',
    fulfilling: 'en preparación',
    completed: 'completado',
    cancelled: 'cancelado',
    picked: 'recogido en almacén',
    packed: 'empaquetado',
    shipped: 'enviado',
    out_for_delivery: 'en reparto',
    delivered: 'entregado',
    ready_for_pickup: 'listo para recoger',
    collected: 'recogido',
    expired: 'caducado',
    ship: 'Envío',
    pickup: 'Recogida en tienda',
  },
  ru: {
    pending: 'ожидает оплаты',
    paid: 'оплачен и собирается',
    fulfilling: 'собирается',
    completed: 'выполнен',
    cancelled: 'отменён',
    picked: 'собран',
    packed: 'упакован',
    shipped: 'отправлен',
    out_for_delivery: 'передан курьеру',
    delivered: 'доставлен',
    ready_for_pickup: 'готов к выдаче',
    collected: 'получен',
    expired: 'срок хранения истёк',
    ship: 'Доставка',
    pickup: 'Самовывоз из магазина',
  },
};

export const statusWord = (locale: BotLocale, status: string) => statusWords[locale][status] ?? status;

/** What the bot may know about an order: enough to answer "where is it?", nothing more. */
export interface OrderStatusView {
  display_number: string;
  customer_id: string | null;
  status: string;
  fulfilments: Array<{ mode: string; status: string; tracking_url: string | null; carrier: string | null }>;
}

/** The order's status, each fulfilment's step and tracking link, in the customer's language. */
export function orderAnswer(locale: BotLocale, order: OrderStatusView): string {
  const lines = botLines[locale];
  const parts = [
    renderTemplate(lines.order_status, {
      number: order.display_number,
      status: statusWord(locale, order.status),
    }),
  ];
  for (const f of order.fulfilments) {
    parts.push(
      renderTemplate(lines.order_fulfilment, {
        step: statusWord(locale, f.mode),
        status: statusWord(locale, f.status),
      }),
    );
    if (f.tracking_url) parts.push(renderTemplate(lines.order_tracking, { url: f.tracking_url }));
  }
  return parts.join('\n');
}
