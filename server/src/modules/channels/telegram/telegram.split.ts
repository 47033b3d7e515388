/**
 * @module Splitting a long reply into messages a provider accepts: Telegram's `sendMessage` takes at most 4096
 * characters and a `sendDocument` caption 1024. Cuts fall at the last paragraph break, else sentence end, else
 * word break in the second half of the allowed length, and only then mid-word — never between the two halves of
 * a UTF-16 surrogate pair (an emoji), so every part is valid text. Lengths are UTF-16 code units, as Telegram
 * counts them.
 */

/** Telegram Bot API limits (characters after entity parsing). */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Where to cut `text` (longer than `limit`): an index in (0, limit]. */
function cutAt(text: string, limit: number): number {
  const window = text.slice(0, limit);
  // A boundary in the first half would leave a short part and a long remainder: look for a better one first.
  const min = Math.floor(limit / 2);
  const paragraph = window.lastIndexOf('\n\n');
  if (paragraph >= min) return paragraph;
  let sentence = -1;
  for (const match of window.matchAll(/[.!?…。！？](?=\s)/g)) sentence = match.index + 1;
  if (sentence >= min) return sentence;
  const line = window.lastIndexOf('\n');
  if (line >= min) return line;
  const word = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
  if (word > 0) return word;
  // One unbroken run: cut at the limit, one code unit earlier when that would split a surrogate pair.
  return isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
}

/**
 * The parts of `text`, in order, each at most `limit` UTF-16 code units; whitespace at a cut is dropped.
 * @example splitText('First paragraph.\n\nSecond one.', 20) // ['First paragraph.', 'Second one.']
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = cutAt(rest, limit);
    const part = rest.slice(0, cut).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim()) parts.push(rest);
  return parts;
}
