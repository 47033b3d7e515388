/**
 * @module Canned-response templates: mustache ({{customer.first_name}}, sections like
 * {{#order.number}}…{{/order.number}} for "only when there is one") with a closed set of variables checked at save
 * time, rendered as plain text (no HTML escaping: the composer and the channels get text).
 */
import Mustache from 'mustache';
import { AppError, type FieldError } from '../../platform/errors';

/** Every variable a canned response may use, with what it means (shown in the settings screen). */
export const cannedVariables = {
  'customer.first_name': 'The customer’s first name',
  'customer.last_name': 'The customer’s last name',
  'customer.name': 'The customer’s full name',
  'customer.email': 'The customer’s first email address',
  'agent.name': 'The agent’s name',
  'agent.first_name': 'The agent’s first name',
  'order.number': 'The number of the customer’s latest order',
  'order.status': 'The status of the customer’s latest order',
  'conversation.id': 'The conversation’s id',
} as const;
export type CannedVariable = keyof typeof cannedVariables;

export const cannedLocales = ['en', 'es', 'ru'] as const;
export type CannedLocale = (typeof cannedLocales)[number];

type Token = [string, string, number, number, Token[]?, number?];

function namesIn(tokens: Token[], into: Set<string>): Set<string> {
  for (const token of tokens) {
    if (token[0] !== 'text') into.add(token[1]);
    if (token[4]) namesIn(token[4], into);
  }
  return into;
}

/**
 * Checks each locale's body: it parses, and uses known variables only. Every problem is reported with the
 * field it is in (`body.body.es`). Throws a 422 naming the unknown variable.
 * @example checkTemplates({ en: 'Hi {{customer.first_name}}' }, 'body.body')
 */
export function checkTemplates(bodies: Partial<Record<CannedLocale, string>>, prefix: string): void {
  const errors: FieldError[] = [];
  const unknown: string[] = [];
  for (const [locale, body] of Object.entries(bodies)) {
    if (body === undefined) continue;
    let tokens: Token[];
    try {
      tokens = Mustache.parse(body) as unknown as Token[];
    } catch (err) {
      errors.push({ field: `${prefix}.${locale}`, message: (err as Error).message });
      continue;
    }
    for (const name of namesIn(tokens, new Set())) {
      if (name in cannedVariables) continue;
      unknown.push(name);
      errors.push({ field: `${prefix}.${locale}`, message: `unknown variable {{${name}}}` });
    }
  }
  if (errors.length)
    throw new AppError(
      'unprocessable',
      unknown.length
        ? `Unknown variable ${unknown.map((n) => `{{${n}}}`).join(', ')}. Known: ${Object.keys(cannedVariables).join(', ')}.`
        : 'A template does not parse.',
      { errors, ...(unknown.length ? { unknown_variables: [...new Set(unknown)] } : {}) },
    );
}

/** Renders a checked template with nested values (`{ customer: { first_name } }`); missing values render empty. */
export function renderCanned(
  template: string,
  values: Record<string, Record<string, string | null>>,
): string {
  return Mustache.render(template, values, {}, { escape: (value: unknown) => String(value) });
}
