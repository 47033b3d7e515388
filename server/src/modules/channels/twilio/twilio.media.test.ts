/**
 * Inbound MMS and WhatsApp media through Twilio: `NumMedia` / `MediaUrlN` / `MediaContentTypeN` are downloaded
 * from the Twilio API host (the configurable base URL, here a loopback peer) with the account's HTTP Basic
 * credentials and stored as the message's attachments; a file over the size limit or of a refused type is left
 * out and named in the message's meta while the message itself is stored; a URL on another host gets no
 * credentials and no request.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeJson } from '../../../platform/db/codecs';
import { describeEachDialect } from '../../../../test/harness';
import {
  aMessageSid,
  aTwilioChannel,
  AUTH_TOKEN,
  messagesOf,
  postTwilio,
} from '../../conversations/conversation.test-support';
import { recordingPeer } from '../meta/meta.test-support';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const BASIC = `Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`;
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(600, 7)]);
const VIDEO = Buffer.alloc(4096, 1); // over the 2 KiB limit these tests run with
const MAX_BYTES = 2048;

/** Twilio's media resource: answers only with the account's Basic credentials, as Twilio does when auth is on. */
const twilio = await recordingPeer((req) => {
  if (req.headers.authorization !== BASIC)
    return { status: 401, json: { code: 20003, message: 'Authenticate', status: 401 } };
  if (req.url.endsWith('/Media/ME0001')) return { body: PHOTO, contentType: 'image/jpeg' };
  if (req.url.endsWith('/Media/ME0002')) return { body: VIDEO, contentType: 'video/mp4' };
  if (req.url.endsWith('/Media/ME0003'))
    return { body: Buffer.from('MZ…'), contentType: 'application/x-msdownload' };
  return { status: 404, json: { code: 20404, message: 'not found', status: 404 } };
});
/** Somewhere that is not Twilio: must never see the account's credentials. */
const elsewhere = await recordingPeer(() => ({ body: PHOTO, contentType: 'image/jpeg' }));
afterAll(async () => {
  await twilio.close();
  await elsewhere.close();
});

let phoneSerial = 500;
const aPhone = () => `+3466${(++phoneSerial).toString().padStart(7, '0')}`;

describeEachDialect(
  'Twilio inbound media',
  (t) => {
    let whatsapp: Awaited<ReturnType<typeof aTwilioChannel>>;
    let sms: Awaited<ReturnType<typeof aTwilioChannel>>;
    beforeAll(async () => {
      whatsapp = await aTwilioChannel(t(), 'whatsapp');
      sms = await aTwilioChannel(t(), 'sms');
    });
    const mediaUrl = (sid: string, media: string, base = twilio.url) =>
      `${base}/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid}/Media/${media}`;

    /** The message Twilio's MessageSid became (the webhook answers TwiML, not ids). */
    async function stored(sid: string) {
      return t()
        .omnis.database.db.selectFrom('messages')
        .selectAll()
        .where('provider_message_id', '=', sid)
        .executeTakeFirstOrThrow();
    }

    it('a WhatsApp photo is fetched with the account’s Basic auth and stored as the message’s attachment', async () => {
      const sid = aMessageSid();
      const res = await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, {
        MessageSid: sid,
        AccountSid: ACCOUNT,
        From: `whatsapp:${aPhone()}`,
        To: 'whatsapp:+14155550100',
        Body: 'This is the damaged lamp',
        NumMedia: '1',
        MediaUrl0: mediaUrl(sid, 'ME0001'),
        MediaContentType0: 'image/jpeg',
      });
      expect(res.statusCode).toBe(200);
      const fetched = twilio.requests.find((r) => r.url.includes(`/Messages/${sid}/Media/ME0001`))!;
      expect(fetched.headers.authorization).toBe(BASIC);
      const message = await stored(sid);
      const [listed] = (await messagesOf(t(), message.conversation_id)).filter((m) => m.id === message.id);
      expect(listed).toMatchObject({ text: 'This is the damaged lamp' });
      expect(listed!.attachments).toEqual([
        expect.objectContaining({ filename: 'media-1.jpg', content_type: 'image/jpeg', size: PHOTO.length }),
      ]);
      // The bytes are the ones Twilio served.
      const [bytes] = await t()
        .omnis.database.db.selectFrom('message_attachments')
        .select('content')
        .where('message_id', '=', message.id)
        .execute();
      expect(Buffer.from(bytes!.content).equals(PHOTO)).toBe(true);
    });

    it('an MMS over the size limit keeps its text and a note of the refused files; the photo beside it lands', async () => {
      const sid = aMessageSid();
      const res = await postTwilio(t(), `/hooks/twilio/${sms.id}`, {
        MessageSid: sid,
        AccountSid: ACCOUNT,
        From: aPhone(),
        To: '+14155550100',
        Body: 'Video of the problem',
        NumMedia: '3',
        MediaUrl0: mediaUrl(sid, 'ME0002'),
        MediaContentType0: 'video/mp4',
        MediaUrl1: mediaUrl(sid, 'ME0001'),
        MediaContentType1: 'image/jpeg',
        MediaUrl2: mediaUrl(sid, 'ME0003'),
        MediaContentType2: 'application/x-msdownload',
      });
      expect(res.statusCode).toBe(200);
      const message = await stored(sid);
      expect(message.text).toBe('Video of the problem');
      expect(decodeJson<Array<{ filename: string }>>(message.attachments).map((a) => a.filename)).toEqual([
        'media-2.jpg',
      ]);
      expect(decodeJson<{ skipped_attachments: unknown }>(message.meta).skipped_attachments).toEqual([
        { filename: 'media-1.mp4', reason: `larger than ${MAX_BYTES} bytes` },
        { filename: 'media-3', reason: 'type application/x-msdownload is not allowed' },
      ]);
      // A refused type is known from the webhook: never downloaded.
      expect(twilio.requests.some((r) => r.url.includes(`/Messages/${sid}/Media/ME0003`))).toBe(false);
    });

    it('a media URL on another host gets neither a request nor the credentials', async () => {
      const sid = aMessageSid();
      const res = await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, {
        MessageSid: sid,
        AccountSid: ACCOUNT,
        From: `whatsapp:${aPhone()}`,
        To: 'whatsapp:+14155550100',
        Body: 'look',
        NumMedia: '1',
        MediaUrl0: mediaUrl(sid, 'ME0001', elsewhere.url.replace('127.0.0.1', 'localhost')),
        MediaContentType0: 'image/jpeg',
      });
      expect(res.statusCode).toBe(200);
      const message = await stored(sid);
      expect(message.text).toBe('look');
      expect(decodeJson(message.attachments)).toEqual([]);
      expect(decodeJson<{ skipped_attachments: unknown }>(message.meta).skipped_attachments).toEqual([
        { filename: 'media-1.jpg', reason: 'not on the Twilio API host' },
      ]);
      expect(elsewhere.requests).toHaveLength(0);
    });
  },
  { twilioApiBaseUrl: twilio.url, attachmentMaxBytes: MAX_BYTES },
);
