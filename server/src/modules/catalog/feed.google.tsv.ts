/**
 * @module The Google Merchant feed as a tab-separated file (https://support.google.com/merchants/answer/160588):
 * a header row of Google's attribute names, then one line per item holding the values `googleAttributes` gives,
 * so the file says exactly what the XML feed says. Google reads one product per line with no tabs or line
 * breaks inside a value, and takes a value in double quotes (a quote inside doubled) as one value
 * (https://support.google.com/merchants/answer/14998273); csv-stringify does that quoting.
 */
import { stringify } from 'csv-stringify/sync';
import { googleAttributeNames, googleAttributes, type GoogleAttribute, type GoogleFeed } from './feed.google';

/**
 * A value fit for one cell: each run of tabs and line breaks becomes one space (a description's paragraphs
 * run on), and other control characters are dropped, as the XML feed drops them.
 * @example tsvText('Soft\tleather\r\nboots') // 'Soft leather boots'
 */
export function tsvText(value: string): string {
  return (
    value
      .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000E-\u001F\u007F\uFFFE\uFFFF]/g, '')
  );
}

/** Attributes that may carry several values: in a text file they share one cell. */
const repeatedAttributes = new Set<GoogleAttribute>(['additional_image_link']);

/**
 * One cell: a single value as it is; a repeated attribute's values separated by commas, a value holding a
 * comma in double quotes (a quote inside doubled), as Google asks for repeated attributes in text files.
 */
const cell = (name: GoogleAttribute, values: string[]) =>
  repeatedAttributes.has(name)
    ? values.map((v) => (/[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')
    : (values[0] ?? '');

/**
 * The whole feed as a TSV document: every column of `googleAttributeNames`, empty where an item has no value.
 * @example renderGoogleTsv({ title: 'Web shop', link: 'https://shop.example', description: '…', items })
 *   // 'id\ttitle\t…\nBOOT-40\tChelsea boots — 40\t…\n'
 */
export function renderGoogleTsv(feed: GoogleFeed): string {
  const rows = feed.items.map((item) => {
    const cells = new Map<GoogleAttribute, string[]>();
    for (const [name, value] of googleAttributes(item)) {
      const values = cells.get(name) ?? [];
      values.push(tsvText(value));
      cells.set(name, values);
    }
    return googleAttributeNames.map((name) => cell(name, cells.get(name) ?? []));
  });
  return stringify([[...googleAttributeNames], ...rows], { delimiter: '\t', record_delimiter: 'unix' });
}
