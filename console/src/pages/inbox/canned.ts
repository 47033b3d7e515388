/**
 * @module Canned responses and their variables. The server has no canned-response route yet, so the agent's
 * set is kept in this browser (localStorage), seeded with a few common answers; `fillVariables` replaces
 * `{{first_name}}`, `{{last_name}}`, `{{order_number}}`, `{{agent_name}}` from the open conversation's customer,
 * latest order and the signed-in agent, and leaves an unknown variable visible so the agent notices it.
 */
import { tx } from './inbox-i18n';

export interface CannedResponse {
  id: string;
  title: string;
  text: string;
}

const STORAGE_KEY = 'omnis.inbox.canned';

function defaults(): CannedResponse[] {
  return [
    {
      id: 'greeting',
      title: tx('inbox.canned.defaults.greetingTitle'),
      text: tx('inbox.canned.defaults.greeting'),
    },
    { id: 'order', title: tx('inbox.canned.defaults.orderTitle'), text: tx('inbox.canned.defaults.order') },
    {
      id: 'closing',
      title: tx('inbox.canned.defaults.closingTitle'),
      text: tx('inbox.canned.defaults.closing'),
    },
  ];
}

export function loadCanned(): CannedResponse[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(parsed)) return parsed as CannedResponse[];
  } catch {
    // A damaged entry falls back to the defaults.
  }
  return defaults();
}

export function saveCanned(list: CannedResponse[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
}

export type Variables = Record<string, string | null | undefined>;

/** `fillVariables('Hi {{first_name}}', { first_name: 'Ana' })` → "Hi Ana". */
export function fillVariables(text: string, variables: Variables): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => variables[name] || whole);
}
