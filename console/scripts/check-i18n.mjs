#!/usr/bin/env node
/**
 * @module Checks the message catalogs against English: every key exists in every language, nothing extra,
 * the same {{placeholders}}, and each plural key has exactly the forms that language needs
 * (Intl.PluralRules: en one/other, es one/many/other, ru one/few/many/other). Exits 1 on any problem.
 */
import { readFileSync } from 'node:fs';

const dir = new URL('../src/i18n/', import.meta.url);
const load = (lang) => JSON.parse(readFileSync(new URL(`${lang}.json`, dir), 'utf8'));
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(object, prefix = '', out = new Map()) {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else flatten(value, path, out);
  }
  return out;
}

/** key → { forms: Set, text } with plural suffixes folded into their base key. */
function group(messages) {
  const groups = new Map();
  for (const [key, text] of messages) {
    const base = key.replace(PLURAL, '');
    const entry = groups.get(base) ?? { forms: new Set(), texts: [] };
    const match = key.match(PLURAL);
    if (match) entry.forms.add(match[1]);
    entry.texts.push(text);
    groups.set(base, entry);
  }
  return groups;
}

const placeholders = (text) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)]
    .map((m) => m[1])
    .sort()
    .join(',');

const english = group(flatten(load('en')));
const problems = [];
for (const lang of ['en', 'es', 'ru']) {
  const needed = new Set(new Intl.PluralRules(lang).resolvedOptions().pluralCategories);
  const catalog = group(flatten(load(lang)));
  for (const [key, reference] of english) {
    const entry = catalog.get(key);
    if (!entry) {
      problems.push(`${lang}: missing ${key}`);
      continue;
    }
    if (reference.forms.size > 0) {
      const forms = [...entry.forms].sort().join(',');
      const want = [...needed].sort().join(',');
      if (forms !== want) problems.push(`${lang}: ${key} has plural forms [${forms}], needs [${want}]`);
    }
    const want = placeholders(reference.texts[0]);
    for (const text of entry.texts) {
      if (placeholders(text) !== want)
        problems.push(`${lang}: ${key} placeholders {${placeholders(text)}} ≠ {${want}}`);
    }
  }
  for (const key of catalog.keys()) if (!english.has(key)) problems.push(`${lang}: unexpected ${key}`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`i18n: en, es, ru complete (${english.size} messages)`);
