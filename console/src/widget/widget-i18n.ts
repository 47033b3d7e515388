/**
 * @module The chat widget's words in English, Spanish and Russian. The language comes from the script tag's
 * `data-locale`, else the page's `<html lang>`, else the browser.
 */
const en = {
  open: 'Chat with us',
  close: 'Close chat',
  title: 'Chat with us',
  online: 'We usually reply in a few minutes',
  offline: 'No one is available right now',
  placeholder: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  preChatIntro: 'Tell us who you are (optional) so we can follow up.',
  name: 'Name',
  email: 'Email',
  start: 'Start chat',
  skip: 'Skip',
  offlineAsk: 'Leave your email and we will continue the conversation there.',
  offlineSaved: 'Thanks! We will reply to {email}.',
  offlineKnown: 'No one is available right now: we will reply to {email}.',
  saveEmail: 'Continue by email',
  typing: '{name} is typing…',
  agent: 'Support',
  failed: 'Not sent — tap to retry',
  tooBig: 'That file cannot be sent.',
  reconnecting: 'Reconnecting…',
  csatAsk: 'Rate this conversation',
  csatRate: '{n} of 5: {word}',
  csat1: 'Very bad',
  csat2: 'Bad',
  csat3: 'OK',
  csat4: 'Good',
  csat5: 'Excellent',
  csatComment: 'Anything to add? (optional)',
  csatSend: 'Send rating',
  csatThanks: 'Thank you for your rating!',
  csatClosed: 'This survey is closed.',
};
type Words = typeof en;

const es: Words = {
  open: 'Chatea con nosotros',
  close: 'Cerrar el chat',
  title: 'Chatea con nosotros',
  online: 'Solemos responder en pocos minutos',
  offline: 'Ahora mismo no hay nadie disponible',
  placeholder: 'Escribe un mensaje…',
  send: 'Enviar',
  attach: 'Adjuntar un archivo',
  preChatIntro: 'Dinos quién eres (opcional) para poder responderte.',
  name: 'Nombre',
  email: 'Correo electrónico',
  start: 'Empezar el chat',
  skip: 'Omitir',
  offlineAsk: 'Déjanos tu correo y seguiremos la conversación allí.',
  offlineSaved: '¡Gracias! Te responderemos a {email}.',
  offlineKnown: 'Ahora mismo no hay nadie disponible: te responderemos a {email}.',
  saveEmail: 'Seguir por correo',
  typing: '{name} está escribiendo…',
  agent: 'Atención al cliente',
  failed: 'No enviado: toca para reintentar',
  tooBig: 'No se puede enviar ese archivo.',
  reconnecting: 'Reconectando…',
  csatAsk: 'Valora esta conversación',
  csatRate: '{n} de 5: {word}',
  csat1: 'Muy mal',
  csat2: 'Mal',
  csat3: 'Normal',
  csat4: 'Bien',
  csat5: 'Excelente',
  csatComment: '¿Algo más? (opcional)',
  csatSend: 'Enviar valoración',
  csatThanks: '¡Gracias por tu valoración!',
  csatClosed: 'Esta encuesta ya está cerrada.',
};

const ru: Words = {
  open: 'Напишите нам',
  close: 'Закрыть чат',
  title: 'Напишите нам',
  online: 'Обычно отвечаем за несколько минут',
  offline: 'Сейчас никого нет на месте',
  placeholder: 'Напишите сообщение…',
  send: 'Отправить',
  attach: 'Прикрепить файл',
  preChatIntro: 'Представьтесь (необязательно), чтобы мы могли ответить.',
  name: 'Имя',
  email: 'Эл. почта',
  start: 'Начать чат',
  skip: 'Пропустить',
  offlineAsk: 'Оставьте адрес почты, и мы продолжим разговор там.',
  offlineSaved: 'Спасибо! Мы ответим на {email}.',
  offlineKnown: 'Сейчас никого нет на месте: мы ответим на {email}.',
  saveEmail: 'Продолжить по почте',
  typing: '{name} печатает…',
  agent: 'Поддержка',
  failed: 'Не отправлено — нажмите, чтобы повторить',
  tooBig: 'Этот файл нельзя отправить.',
  reconnecting: 'Переподключение…',
  csatAsk: 'Оцените этот разговор',
  csatRate: '{n} из 5: {word}',
  csat1: 'Очень плохо',
  csat2: 'Плохо',
  csat3: 'Нормально',
  csat4: 'Хорошо',
  csat5: 'Отлично',
  csatComment: 'Хотите что-то добавить? (необязательно)',
  csatSend: 'Отправить оценку',
  csatThanks: 'Спасибо за оценку!',
  csatClosed: 'Этот опрос уже закрыт.',
};

const dictionaries: Record<string, Words> = { en, es, ru };

export type WidgetWord = keyof Words;

/** The first of the candidates we speak (by its language part), else English. */
export function pickLocale(...candidates: Array<string | null | undefined>): string {
  for (const c of candidates) {
    const lang = c?.toLowerCase().split(/[-_]/)[0];
    if (lang && dictionaries[lang]) return lang;
  }
  return 'en';
}

export function translator(locale: string) {
  const words = dictionaries[locale] ?? en;
  return (key: WidgetWord, vars: Record<string, string> = {}) =>
    words[key].replace(/\{(\w+)\}/g, (_m, name: string) => vars[name] ?? '');
}
