/**
 * @module Media both messaging-app adapters (Meta, Telegram) share: downloading a customer's file within the
 * attachment limits, and the plain text a reply carries on channels that show no HTML. A file over the limits is
 * skipped and named in the message's meta (the text still lands); a download that fails is thrown, so the
 * delivery is kept and retried.
 */
import sanitizeHtml from 'sanitize-html';
import {
  typeAllowed,
  type AttachmentLimits,
  type InboundAttachment,
  type OutboundMessage,
} from '../../conversations';

export interface SkippedAttachment {
  filename: string;
  reason: string;
}

/**
 * Downloads one file unless its declared or actual size or type is outside the limits.
 * @example await fetchMedia(url, { authorization: 'Bearer …' }, limits, { filename: 'invoice.pdf', contentType: 'application/pdf', size: 1234 })
 */
export async function fetchMedia(
  url: string,
  headers: Record<string, string>,
  limits: AttachmentLimits,
  declared: { filename: string; contentType?: string | undefined; size?: number | undefined },
): Promise<InboundAttachment | SkippedAttachment> {
  const { filename } = declared;
  const tooLarge = { filename, reason: `larger than ${limits.maxBytes} bytes` };
  if (declared.size !== undefined && declared.size > limits.maxBytes) return tooLarge;
  if (declared.contentType && !typeAllowed(declared.contentType, limits.types))
    return { filename, reason: `type ${declared.contentType} is not allowed` };
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`Downloading ${filename} answered ${res.status}`);
  if (Number(res.headers.get('content-length') ?? 0) > limits.maxBytes) {
    await res.body?.cancel();
    return tooLarge;
  }
  const contentType = declared.contentType ?? res.headers.get('content-type') ?? 'application/octet-stream';
  if (!typeAllowed(contentType, limits.types)) {
    await res.body?.cancel();
    return { filename, reason: `type ${contentType} is not allowed` };
  }
  const content = Buffer.from(await res.arrayBuffer());
  if (content.length > limits.maxBytes) return tooLarge;
  return { filename, contentType: contentType.split(';')[0]!.trim(), content };
}

/** Downloads several files, splitting what arrived from what the limits kept out. */
export async function fetchAll(
  jobs: Array<() => Promise<InboundAttachment | SkippedAttachment>>,
): Promise<{ attachments: InboundAttachment[]; skipped: SkippedAttachment[] }> {
  const attachments: InboundAttachment[] = [];
  const skipped: SkippedAttachment[] = [];
  for (const job of jobs) {
    const got = await job();
    if ('content' in got) attachments.push(got);
    else skipped.push(got);
  }
  return { attachments, skipped };
}

/** The reply's text for a channel without HTML: the text, else the HTML's visible text. */
export function plainText(message: Pick<OutboundMessage, 'text' | 'html'>): string | null {
  if (message.text) return message.text;
  if (!message.html) return null;
  const text = sanitizeHtml(message.html.replace(/<br\s*\/?>|<\/p>/gi, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
  return text || null;
}

/** The filename at the end of a URL's path, or a fallback. */
export function filenameOf(url: string, fallback: string): string {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /^[\w.-]{1,120}$/.test(last) ? last : fallback;
  } catch {
    return fallback;
  }
}
