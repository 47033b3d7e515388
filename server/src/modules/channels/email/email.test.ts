/**
 * Email: a customer's mail arrives through the built-in SMTP listener (sent with nodemailer on loopback) or the
 * raw-mail hook; the agent's reply leaves through the relay with threading headers and lands at a real SMTP peer;
 * her answer threads back; oversized, malformed and forbidden-attachment mail is refused and nothing is stored.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/harness';
import {
  HOOK_TOKEN,
  anEmailChannel,
  countRows,
  messagesOf,
  smtpPeer,
  unique,
} from '../../conversations/conversation.test-support';

const relay = await smtpPeer();
afterAll(() => relay.close());
const MAX = 64 * 1024;

describeEachDialect(
  'email channel',
  (t) => {
    let channel: Awaited<ReturnType<typeof anEmailChannel>>;
    let port: number;
    beforeAll(async () => {
      channel = await anEmailChannel(t());
      port = await t().omnis.services.emailChannel.startSmtp(0, '127.0.0.1');
    });
    afterAll(() => t().omnis.services.emailChannel.close());
    const smtp = () =>
      nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

    it('a customer emails through the SMTP listener; the agent’s reply arrives at the relay with threading headers, and her answer threads back', async () => {
      const ana = `${unique('ana')}@mail.example`;
      const sent = await smtp().sendMail({
        from: `Ana García <${ana}>`,
        to: channel.address,
        subject: 'Order 1042 is late',
        text: 'Hello, my order has not arrived.',
        html: '<p>Hello, my order <b>has not arrived</b>.</p><script>alert(1)</script><img src="https://tracker.example/p.gif" onerror="x()">',
        attachments: [
          { filename: 'receipt.pdf', content: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' },
        ],
      });
      expect(sent.response).toMatch(/^250 /);
      const inbound = await t()
        .omnis.database.db.selectFrom('messages')
        .selectAll()
        .where('address', '=', ana)
        .executeTakeFirstOrThrow();
      expect(inbound).toMatchObject({
        subject: 'Order 1042 is late',
        text: 'Hello, my order has not arrived.',
        provider_message_id: sent.messageId,
      });
      expect(inbound.html).toContain('<b>has not arrived</b>');
      expect(inbound.html).not.toMatch(/script|onerror|tracker\.example/);
      const [stored] = await messagesOf(t(), inbound.conversation_id);
      expect(stored!.attachments).toMatchObject([
        { filename: 'receipt.pdf', content_type: 'application/pdf', size: 13 },
      ]);
      const file = await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/conversations/${inbound.conversation_id}/attachments/${(stored!.attachments as Array<{ id: string }>)[0]!.id}`,
        headers: await t().as('agent'),
      });
      expect(file.body).toBe('%PDF-1.4 test');

      const reply = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${inbound.conversation_id}/messages`,
        headers: await t().as('agent'),
        payload: { text: 'Sorry Ana, it ships today.' },
      });
      expect(reply.statusCode).toBe(201);
      expect(reply.json()).toMatchObject({ delivery_status: 'sent', channel_kind: 'email', address: ana });
      const mail = relay.mails.find((m) => m.to && JSON.stringify(m.to).includes(ana))!;
      expect(mail.subject).toBe('Re: Order 1042 is late');
      expect(mail.inReplyTo).toBe(sent.messageId);
      expect([mail.references].flat()).toContain(sent.messageId);
      expect(mail.messageId).toBe(reply.json().provider_message_id);
      expect(mail.from?.value[0]).toMatchObject({ address: channel.address, name: 'Shop Support' });
      const replyTo = mail.replyTo!.value[0]!.address!;
      expect(replyTo).toMatch(new RegExp(`^${channel.address.split('@')[0]}\\+[a-f0-9]+@shop\\.example$`));

      // Her mail client answers to the Reply-To address, quoting our message below hers.
      const answer = await smtp().sendMail({
        from: ana,
        to: replyTo,
        subject: 'Re: Order 1042 is late',
        inReplyTo: mail.messageId,
        references: [sent.messageId!, mail.messageId!],
        text: `Thanks!\n\nOn Mon, Jan 5, 2026 at 10:00 AM Shop Support <${channel.address}> wrote:\n> Sorry Ana, it ships today.\n`,
      });
      expect(answer.response).toMatch(/^250 /);
      const thread = await messagesOf(t(), inbound.conversation_id);
      expect(thread.map((m) => [m.direction, m.text])).toEqual([
        ['in', 'Thanks!'],
        ['out', 'Sorry Ana, it ships today.'],
        ['in', 'Hello, my order has not arrived.'],
      ]);
    });

    it('mail for an unknown mailbox is refused at RCPT TO', async () => {
      await expect(
        smtp().sendMail({ from: 'x@mail.example', to: 'nobody@shop.example', subject: 'hi', text: 'hi' }),
      ).rejects.toThrow(/550/);
    });

    it('an oversized email is refused with 552 and nothing is stored', async () => {
      const before = await countRows(t(), 'inbound_messages');
      await expect(
        smtp().sendMail({
          from: 'big@mail.example',
          to: channel.address,
          subject: 'big',
          text: 'x'.repeat(MAX * 2),
        }),
      ).rejects.toThrow(/552/);
      const hook = await t().omnis.app.inject({
        method: 'POST',
        url: `/hooks/email/${channel.id}`,
        headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822' },
        payload: Buffer.from(`From: big@mail.example\r\nSubject: big\r\n\r\n${'x'.repeat(MAX * 2)}`),
      });
      expect(hook.statusCode).toBe(413);
      expect(await countRows(t(), 'inbound_messages')).toBe(before);
    });

    it('the raw-mail hook takes RFC 822 with the channel’s token, refuses malformed mail, bad tokens and forbidden attachments', async () => {
      const post = (raw: string, token = HOOK_TOKEN, id = channel.id) =>
        t().omnis.app.inject({
          method: 'POST',
          url: `/hooks/email/${id}`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' },
          payload: Buffer.from(raw),
        });
      const before = await countRows(t(), 'inbound_messages');
      expect((await post('this is not an email at all')).json()).toMatchObject({
        status: 400,
        errors: [{ field: 'body' }],
      });
      expect((await post('From: a@mail.example\r\n\r\nhi', 'wrong')).statusCode).toBe(403);
      expect((await post('From: a@mail.example\r\n\r\nhi', HOOK_TOKEN, 'cha_unknown')).statusCode).toBe(404);
      const exe = [
        'From: mallory@mail.example',
        `To: ${channel.address}`,
        'Subject: invoice',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--b',
        'Content-Type: application/x-msdownload; name="invoice.exe"',
        'Content-Disposition: attachment; filename="invoice.exe"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('MZ....').toString('base64'),
        '--b--',
        '',
      ].join('\r\n');
      const refused = await post(exe);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors[0]).toMatchObject({ field: 'attachments.0' });
      expect(await countRows(t(), 'inbound_messages')).toBe(before);

      const from = `${unique('hook')}@mail.example`;
      const ok = await post(
        `From: Hook Person <${from}>\r\nTo: ${channel.address}\r\nSubject: via hook\r\nMessage-ID: <${unique('m')}@mail.example>\r\n\r\nHello from a mail service`,
      );
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'processed', duplicate: false });
    });
  },
  { emailMaxBytes: MAX, emailRelayUrl: relay.url },
);
