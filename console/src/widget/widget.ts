/**
 * @module The embeddable chat widget (`/widget.js`): `<script src="https://omnis.example/widget.js"
 * data-key="pk_…" [data-locale="es"]>` on any page adds a launcher and a chat panel inside a shadow root. The key is
 * the publishable key of a webchat channel (or of a web shop channel whose config names its `webchat_channel_id`).
 * The visitor is kept across visits (her token in localStorage); an optional pre-chat form names her; when no
 * agent is available the conversation continues by email: at the address the pre-chat form gave (she is told where
 * the reply goes), else at one she leaves then.
 */
import { createConnection, type ChatMessage, type ServerFrame, type Visitor } from './widget-connection';
import { pickLocale, translator } from './widget-i18n';
import { widgetCss } from './widget-styles';

const script = document.currentScript as HTMLScriptElement | null;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, text?: string) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

const chatIcon =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';

const clipIcon =
  '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2"><path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5"/></svg>';

const starIcon =
  '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z"/></svg>';

const ratingWords = ['csat1', 'csat2', 'csat3', 'csat4', 'csat5'] as const;

async function mount(): Promise<void> {
  const key = script?.dataset.key;
  if (!script || !key) return;
  const base = new URL(script.src).origin;
  const locale = pickLocale(script.dataset.locale, document.documentElement.lang, navigator.language);
  const t = translator(locale);

  const host = h('div', { id: 'omnis-chat', 'data-locale': locale });
  const root = host.attachShadow({ mode: 'open' });
  root.append(h('style', {}, widgetCss));
  const panel = h('section', { class: 'panel', role: 'dialog', 'aria-label': t('title'), part: 'panel' });
  panel.hidden = true;
  const header = h('header');
  const titles = h('div', { style: 'flex:1' });
  const status = h('p', {}, t('online'));
  titles.append(h('h2', {}, t('title')), status);
  const closeButton = h('button', { 'aria-label': t('close') }, '×');
  header.append(titles, closeButton);
  const log = h('div', { class: 'log', 'aria-live': 'polite' });
  const typing = h('div', { class: 'typing' });
  const composer = h('form');
  const input = h('input', { placeholder: t('placeholder'), 'aria-label': t('placeholder'), name: 'text' });
  const file = h('input', { type: 'file', hidden: '' });
  const attach = h('button', { type: 'button', class: 'ghost', 'aria-label': t('attach') });
  attach.innerHTML = clipIcon;
  composer.append(attach, file, input, h('button', { type: 'submit', class: 'primary' }, t('send')));
  panel.append(header, log, typing, composer);
  const launcher = h('button', { class: 'launcher', 'aria-label': t('open') });
  launcher.innerHTML = chatIcon;
  root.append(panel, launcher);
  // Nothing shows until the server says this key opens a chat.
  const connection = createConnection({
    base,
    publishableKey: key,
    locale,
    onStatus: (connected) => (status.textContent = connected ? status.textContent : t('reconnecting')),
    onFrame: (frame) => onFrame(frame),
  });
  if (!(await connection.available())) return;
  document.body.append(host);

  let visitor: Visitor | null = null;
  let agentsAvailable = true;
  let offlineNote: HTMLElement | null = null;
  const shown = new Map<string, HTMLElement>();
  let serial = 0;
  const newClientId = () => `w${Date.now().toString(36)}${(serial++).toString(36)}`;

  function show(message: ChatMessage, clientId?: string): HTMLElement {
    const key = message.id ?? clientId ?? '';
    const existing = shown.get(key) ?? (clientId ? shown.get(clientId) : undefined);
    const el = existing ?? h('div', { class: `msg ${message.direction}` });
    el.textContent = message.text ?? '';
    for (const a of message.attachments ?? []) el.append(h('small', {}, a.filename));
    if (message.id) shown.set(message.id, el);
    if (clientId) shown.set(clientId, el);
    if (!existing) log.append(el);
    if (message.csat) survey(message.csat, el);
    log.scrollTop = log.scrollHeight;
    return el;
  }

  /**
   * CSAT surveys shown, by id: the 1–5 scale with a comment box while open, the thanks in its place once
   * answered. Her typed message closes an open one (the server takes "4 great" as the answer, anything else
   * as moving on), so only one answer can leave the widget.
   */
  const surveys = new Map<
    string,
    { box: HTMLElement; open: boolean; refused: (code: string, detail: string) => void }
  >();
  let pendingSurvey: string | null = null;
  const rateLabel = (n: number) => t('csatRate', { n: String(n), word: t(ratingWords[n - 1]!) });

  function thank(box: HTMLElement, rating: number): void {
    const stars = h('div', { class: 'stars', role: 'img', 'aria-label': rateLabel(rating) });
    for (let n = 1; n <= 5; n++) {
      const star = h('span', { class: n <= rating ? 'on' : '' });
      star.innerHTML = starIcon;
      stars.append(star);
    }
    box.replaceChildren(stars, h('p', {}, t('csatThanks')));
  }

  function scale(box: HTMLElement, surveyId: string): (code: string, detail: string) => void {
    let rating = 0;
    const word = h('small', { class: 'csat-word', 'aria-live': 'polite' });
    const comment = h('textarea', {
      placeholder: t('csatComment'),
      'aria-label': t('csatComment'),
      maxlength: '2000',
      rows: '2',
      name: 'comment',
    });
    const submit = h('button', { type: 'button', class: 'primary', disabled: '' }, t('csatSend'));
    const error = h('small', { class: 'csat-error', role: 'alert' });
    const buttons = [1, 2, 3, 4, 5].map((n) => {
      const b = h('button', {
        type: 'button',
        class: 'star',
        'aria-label': rateLabel(n),
        'aria-pressed': 'false',
      });
      b.innerHTML = starIcon;
      b.onclick = () => {
        rating = n;
        buttons.forEach((other, i) => {
          other.classList.toggle('on', i < n);
          other.setAttribute('aria-pressed', String(i + 1 === n));
        });
        word.textContent = t(ratingWords[n - 1]!);
        submit.disabled = false;
      };
      return b;
    });
    const stars = h('div', { class: 'stars', role: 'group', 'aria-label': t('csatAsk') });
    stars.append(...buttons);
    submit.onclick = () => {
      error.textContent = '';
      const frame = { type: 'csat', survey_id: surveyId, rating, comment: comment.value.trim() || null };
      if (!rating) return;
      if (!connection.send(frame)) {
        error.textContent = t('failed');
        return;
      }
      pendingSurvey = surveyId;
      submit.disabled = true;
    };
    box.replaceChildren(stars, word, comment, submit, error);
    return (code, detail) => {
      if (code === 'conflict' || code === 'not_found') {
        box.replaceChildren(h('p', {}, t('csatClosed')));
        surveys.get(surveyId)!.open = false;
        return;
      }
      error.textContent = detail;
      submit.disabled = false;
    };
  }

  function survey(csat: NonNullable<ChatMessage['csat']>, message: HTMLElement): void {
    let entry = surveys.get(csat.survey_id);
    if (!entry) {
      const box = h('div', { class: 'csat', 'data-survey': csat.survey_id });
      message.after(box);
      entry = { box, open: false, refused: () => undefined };
      surveys.set(csat.survey_id, entry);
    }
    if (csat.rating !== null) {
      entry.open = false;
      thank(entry.box, csat.rating);
    } else if (!csat.open) {
      // Skipped or expired while she was away: the question stays, the scale goes.
      entry.open = false;
      entry.box.replaceChildren();
    } else if (!entry.open) {
      entry.open = true;
      entry.refused = scale(entry.box, csat.survey_id);
    }
  }

  function note(text: string): HTMLElement {
    const el = h('div', { class: 'note' }, text);
    log.append(el);
    return el;
  }

  function offerEmail(): void {
    if (offlineNote || agentsAvailable || visitor?.continue_by_email) return;
    // The pre-chat form already has her address: never ask twice, just say where the reply goes.
    if (visitor?.email) {
      offlineNote = note(t('offlineKnown', { email: visitor.email }));
      connection.send({ type: 'continue_by_email' });
      return;
    }
    offlineNote = note(t('offlineAsk'));
    const form = h('form', { class: 'stack' });
    const email = h('input', { type: 'email', required: '', placeholder: t('email'), name: 'email' });
    form.append(email, h('button', { class: 'primary', type: 'submit' }, t('saveEmail')));
    form.onsubmit = (e) => {
      e.preventDefault();
      connection.send({ type: 'continue_by_email', email: email.value });
    };
    offlineNote.append(form);
  }

  function onFrame(frame: ServerFrame): void {
    if (frame.type === 'ready') {
      visitor = frame.visitor;
      agentsAvailable = frame.agents_available;
      status.textContent = agentsAvailable ? t('online') : t('offline');
      for (const m of frame.messages) show(m);
    } else if (frame.type === 'message') {
      show(frame.message, frame.client_id);
      if (frame.message.direction === 'out') typing.textContent = '';
    } else if (frame.type === 'ack') {
      const el = shown.get(frame.client_id);
      if (el) shown.set(frame.message_id, el);
      if (!agentsAvailable) offerEmail();
    } else if (frame.type === 'typing') {
      typing.textContent = frame.state === 'typing' ? t('typing', { name: frame.name || t('agent') }) : '';
    } else if (frame.type === 'visitor') {
      visitor = frame.visitor;
      // Only the address she just typed earns the "thanks"; a known one keeps its "we will reply to" note.
      if (offlineNote && visitor.continue_by_email && visitor.email && offlineNote.querySelector('form'))
        offlineNote.textContent = t('offlineSaved', { email: visitor.email });
    } else if (frame.type === 'csat_answered') {
      const entry = surveys.get(frame.survey_id);
      if (frame.survey_id === pendingSurvey) pendingSurvey = null;
      if (entry) {
        entry.open = false;
        thank(entry.box, frame.rating);
      }
    } else if (frame.type === 'error' && pendingSurvey && surveys.has(pendingSurvey)) {
      // The survey's answer was refused: said in the survey itself, not as a chat note.
      surveys.get(pendingSurvey)!.refused(frame.code, frame.errors?.[0]?.message ?? frame.detail);
      pendingSurvey = null;
    } else if (frame.type === 'error') note(frame.code === 'validation_failed' ? frame.detail : t('failed'));
  }

  function send(text: string, attachments: string[] = []): void {
    // A typed message answers an open survey ("4 great") or moves on from it: either way its scale closes.
    for (const entry of surveys.values())
      if (entry.open) {
        entry.open = false;
        entry.box.replaceChildren();
      }
    const clientId = newClientId();
    const el = show({ id: null, direction: 'in', text, created_at: new Date().toISOString() }, clientId);
    const frame = { type: 'message', client_id: clientId, text, attachments };
    if (!connection.send(frame)) {
      el.classList.add('failed');
      el.title = t('failed');
      el.onclick = () => connection.send(frame) && el.classList.remove('failed');
    }
  }

  function preChat(): void {
    const box = h('div', { class: 'prechat' });
    const form = h('form', { class: 'stack' });
    const name = h('input', { placeholder: t('name'), name: 'name', autocomplete: 'name' });
    const email = h('input', {
      placeholder: t('email'),
      name: 'email',
      type: 'email',
      autocomplete: 'email',
    });
    const skip = h('button', { type: 'button', class: 'ghost' }, t('skip'));
    form.append(
      h('p', {}, t('preChatIntro')),
      name,
      email,
      h('button', { class: 'primary' }, t('start')),
      skip,
    );
    box.append(form);
    log.append(box);
    const done = () => box.remove();
    skip.onclick = done;
    form.onsubmit = (e) => {
      e.preventDefault();
      if (email.value)
        connection.send({ type: 'identify', email: email.value, name: name.value || undefined });
      done();
    };
  }

  let started: Promise<void> | null = null;
  function start(): Promise<void> {
    started ??= connection.startSession().then((session) => {
      visitor = session.visitor;
      agentsAvailable = session.agents_available;
      connection.connect();
      if (!visitor.email) preChat();
    });
    started.catch(() => {
      status.textContent = t('offline');
      started = null;
    });
    return started;
  }

  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    if (!typingTimer) connection.send({ type: 'typing', state: 'typing' });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      connection.send({ type: 'typing', state: 'idle' });
      typingTimer = undefined;
    }, 2_000);
  });
  composer.onsubmit = (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  };
  attach.onclick = () => file.click();
  file.onchange = async () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (!chosen) return;
    const uploaded = await connection.upload(chosen);
    if (!uploaded) note(t('tooBig'));
    else send(chosen.name, [uploaded.id]);
  };
  launcher.onclick = () => {
    panel.hidden = !panel.hidden;
    launcher.setAttribute('aria-label', panel.hidden ? t('open') : t('close'));
    if (!panel.hidden) void start().then(() => input.focus());
  };
  closeButton.onclick = () => (panel.hidden = true);
  // A returning visitor reconnects straight away, so replies written while she was away are there.
  if (localStorage.getItem(`omnis.chat.${key.slice(0, 16)}`)) void start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void mount());
else void mount();
