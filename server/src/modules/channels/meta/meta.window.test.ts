/**
 * Meta's standard messaging window on Messenger and Instagram: inside 24 hours any reply goes; outside it only a
 * message tag does — `HUMAN_AGENT` (a person, up to 7 days) on both, the update tags on Messenger only — and the
 * tag travels to the Send API as `messaging_type: MESSAGE_TAG`. Refusals are problems naming `body.message_tag`
 * and leave nothing stored or sent. The Graph API is a loopback peer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/harness';
import { countRows, testActor } from '../../conversations/conversation.test-support';
import { aMetaChannel, aMid, postMeta, recordingPeer } from './meta.test-support';

const VERSION = 'v21.0';
let out = 0;
const graph = await recordingPeer((req) =>
  req.url === `/${VERSION}/me/messages`
    ? { json: { recipient_id: 'x', message_id: `m_tagged_${++out}` } }
    : { status: 404, json: { error: { message: 'unknown path', code: 803 } } },
);
afterAll(() => graph.close());

let serial = 0;
const aPsid = () => `${27000000000000 + ++serial * 7919}`;
const HOUR = 3_600_000;

describeEachDialect(
  'Messenger and Instagram messaging window',
  (t) => {
    let messenger: Awaited<ReturnType<typeof aMetaChannel>>;
    let instagram: Awaited<ReturnType<typeof aMetaChannel>>;
    beforeAll(async () => {
      messenger = await aMetaChannel(t(), 'messenger');
      instagram = await aMetaChannel(t(), 'instagram');
    });
    const db = () => t().omnis.database.db;

    /** The customer writes on the channel, then (in the test's fiction) `hoursAgo` hours pass. */
    async function customerWrote(channel: { id: string; kind: string }, hoursAgo: number) {
      const psid = aPsid();
      const res = await postMeta(t(), channel.id, {
        object: channel.kind === 'instagram' ? 'instagram' : 'page',
        entry: [
          {
            id: '1122334455',
            messaging: [
              {
                sender: { id: psid },
                recipient: { id: '1122334455' },
                timestamp: Date.now(),
                message: { mid: aMid(), text: 'Any news about my return?' },
              },
            ],
          },
        ],
      });
      expect(res.json()).toMatchObject({ received: 1 });
      const { conversation_id } = await db()
        .selectFrom('messages')
        .select('conversation_id')
        .where('address', '=', psid)
        .executeTakeFirstOrThrow();
      await db()
        .updateTable('conversation_contacts')
        .set({ last_inbound_at: Date.now() - hoursAgo * HOUR })
        .where('conversation_id', '=', conversation_id)
        .execute();
      return { psid, conversationId: conversation_id };
    }

    const reply = async (conversationId: string, payload: Record<string, unknown>, as = 'agent' as const) =>
      t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversationId}/messages`,
        headers: await t().as(as),
        payload,
      });
    const sentTo = (psid: string) =>
      graph.requests.filter(
        (r) => r.url === `/${VERSION}/me/messages` && (r.json?.recipient as { id: string }).id === psid,
      );

    it('inside 24 hours a Messenger reply goes untagged as a RESPONSE', async () => {
      const { psid, conversationId } = await customerWrote(messenger, 23);
      const res = await reply(conversationId, { text: 'It reached our warehouse today.' });
      expect(res.statusCode).toBe(201);
      expect(sentTo(psid).map((r) => r.json)).toEqual([
        expect.objectContaining({
          messaging_type: 'RESPONSE',
          message: { text: 'It reached our warehouse today.' },
        }),
      ]);
      expect(sentTo(psid)[0]!.json).not.toHaveProperty('tag');
    });

    it('after 24 hours an untagged Messenger reply is refused, naming body.message_tag, and nothing is stored', async () => {
      const { psid, conversationId } = await customerWrote(messenger, 30);
      const before = await countRows(t(), 'messages', messenger.id);
      const res = await reply(conversationId, { text: 'Sorry for the wait!' });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({
        code: 'messaging_window_closed',
        errors: [{ field: 'body.message_tag' }],
      });
      // A tag Meta does not know is the agent's mistake, named the same way.
      const unknown = await reply(conversationId, { text: 'Sorry!', message_tag: 'PROMOTION' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'body.message_tag' })]);
      expect(await countRows(t(), 'messages', messenger.id)).toBe(before);
      expect(sentTo(psid)).toHaveLength(0);
    });

    it('an agent’s HUMAN_AGENT reply goes out up to 7 days later, tagged on the Send API call', async () => {
      const { psid, conversationId } = await customerWrote(messenger, 6 * 24);
      const res = await reply(conversationId, {
        text: 'Your refund was approved.',
        message_tag: 'HUMAN_AGENT',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ delivery_status: 'sent' });
      const stored = await db()
        .selectFrom('messages')
        .select('meta')
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      expect(
        JSON.parse(String(typeof stored.meta === 'string' ? stored.meta : JSON.stringify(stored.meta))),
      ).toMatchObject({
        message_tag: 'HUMAN_AGENT',
      });
      expect(sentTo(psid)[0]!.json).toMatchObject({
        messaging_type: 'MESSAGE_TAG',
        tag: 'HUMAN_AGENT',
        message: { text: 'Your refund was approved.' },
      });
    });

    it('HUMAN_AGENT is past its window after 7 days, but an update tag still reaches Messenger', async () => {
      const { psid, conversationId } = await customerWrote(messenger, 8 * 24);
      const late = await reply(conversationId, { text: 'Hello again', message_tag: 'HUMAN_AGENT' });
      expect(late.statusCode).toBe(422);
      expect(late.json()).toMatchObject({
        code: 'messaging_window_closed',
        errors: [{ field: 'body.message_tag' }],
      });
      expect(sentTo(psid)).toHaveLength(0);
      const update = await reply(conversationId, {
        text: 'Your order 1042 has shipped.',
        message_tag: 'POST_PURCHASE_UPDATE',
      });
      expect(update.statusCode).toBe(201);
      expect(sentTo(psid)[0]!.json).toMatchObject({
        messaging_type: 'MESSAGE_TAG',
        tag: 'POST_PURCHASE_UPDATE',
      });
    });

    it('HUMAN_AGENT is a person’s promise: an API key (an external bot) cannot use it', async () => {
      const { psid, conversationId } = await customerWrote(messenger, 30);
      const res = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversationId}/messages`,
        headers: {
          authorization: `Bearer ${
            (
              await t().omnis.services.apiKeys.createApiKey(
                { kind: 'secret', name: 'external bot', role: 'agent' },
                testActor,
              )
            ).key
          }`,
        },
        payload: { text: 'Automated follow-up', message_tag: 'HUMAN_AGENT' },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.message_tag' })]);
      expect(sentTo(psid)).toHaveLength(0);
    });

    it('Instagram takes only HUMAN_AGENT outside the window', async () => {
      const { psid, conversationId } = await customerWrote(instagram, 48);
      const closed = await reply(conversationId, { text: 'Still there?' });
      expect(closed.json()).toMatchObject({ code: 'messaging_window_closed' });
      const update = await reply(conversationId, { text: 'Shipped!', message_tag: 'POST_PURCHASE_UPDATE' });
      expect(update.statusCode).toBe(400);
      expect(update.json().errors).toEqual([expect.objectContaining({ field: 'body.message_tag' })]);
      const human = await reply(conversationId, { text: 'Shipped!', message_tag: 'HUMAN_AGENT' });
      expect(human.statusCode).toBe(201);
      expect(sentTo(psid).map((r) => r.json?.tag)).toEqual(['HUMAN_AGENT']);
    });
  },
  { metaGraphApiBaseUrl: graph.url, metaGraphApiVersion: VERSION },
);
