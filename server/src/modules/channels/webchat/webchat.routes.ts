/**
 * @module Web chat's HTTP and WebSocket surface. `GET /widget.js` (the embeddable widget, built with the console);
 * `GET /chat/v1/availability` and `POST /chat/v1/sessions` with the webchat channel's publishable key (`Bearer pk_…`) starts or resumes a visitor;
 * `POST /chat/v1/uploads` (raw file, `X-Visitor-Token`) stores an attachment for a later message; and
 * `GET /chat/v1/ws?token=wvt_…&since=msg_…` is her live socket (frames up: `message`, `typing`, `identify`,
 * `continue_by_email`, and `csat` — `{ survey_id, rating, comment }`, her answer to a survey message marked with
 * `csat`, confirmed by `csat_answered` or refused by an `error` frame naming the field). The widget runs on the
 * shop's own domain, so these answer cross-origin requests (no cookies are involved: the visitor token is sent
 * explicitly).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { Type } from 'typebox';
import { AppError } from '../../../platform/errors';
import { strictObject } from '../../../platform/http/schemas';
import type { WebchatService, WidgetMessage } from './webchat.service';
import type { WebchatLive } from './webchat.live';
import type { Visitor } from './webchat.repository';

const VISITOR_HEADER = 'x-visitor-token';

const VisitorSchema = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  continue_by_email: Type.Boolean(),
});

const visitorJson = (v: Visitor) => ({
  id: v.id,
  name: v.name,
  email: v.email,
  locale: v.locale,
  continue_by_email: v.emailFallback,
});

/**
 * What the widget shows of a message: words and files, never internal fields; a CSAT survey also carries `csat`
 * (its id, whether it still takes an answer, the rating given) so the widget shows it as a 1–5 scale.
 */
export const messageJson = (m: WidgetMessage) => ({
  id: m.id,
  direction: m.direction,
  text: m.text,
  attachments: m.attachments.map((a) => ({
    filename: a.filename,
    content_type: a.content_type,
    size: a.size,
  })),
  created_at: m.created_at,
  ...(m.csat ? { csat: m.csat } : {}),
});

function cors(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*');
  reply.header('access-control-allow-headers', 'authorization, content-type, x-visitor-token');
  reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
  reply.header('access-control-max-age', '600');
}

export function webchatRoutes(deps: {
  webchat: WebchatService;
  live: WebchatLive;
  consoleDir: string;
  maxUploadBytes: number;
}): FastifyPluginAsyncTypebox {
  const { webchat, live } = deps;
  const visitorOf = async (token: unknown): Promise<Visitor> => {
    const visitor = typeof token === 'string' ? await webchat.authenticate(token) : null;
    if (!visitor) throw new AppError('unauthenticated', 'Send a valid visitor token (wvt_…).');
    return visitor;
  };

  return async (app) => {
    app.addHook('onSend', async (_request, reply, payload) => {
      cors(reply);
      return payload;
    });
    app.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes + 1 },
      (_r, body, done) => done(null, body),
    );

    app.get(
      '/widget.js',
      {
        config: { access: 'public' },
        schema: {
          tags: ['webchat'],
          summary: 'The embeddable chat widget (script tag with data-key="pk_…")',
        },
      },
      async (_request, reply) => {
        const file = path.join(deps.consoleDir, 'chat', 'widget.js');
        const source = await readFile(file).catch(() => null);
        if (!source) throw new AppError('not_found', 'The widget is not built (npm run build -w console).');
        return reply
          .type('text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .send(source);
      },
    );

    app.options(
      '/chat/v1/*',
      { config: { access: 'public' }, schema: { hide: true } },
      async (_request, reply) => reply.status(204).send(),
    );

    app.get(
      '/chat/v1/availability',
      {
        config: { access: 'publishable' },
        schema: {
          tags: ['webchat'],
          summary:
            'Whether this key opens a web chat, and whether an agent is there (the widget asks before showing)',
          response: { 200: Type.Object({ chat: Type.Boolean(), agents_available: Type.Boolean() }) },
        },
      },
      async (request) => {
        const principal = request.principal;
        const chat =
          principal.kind === 'publishable_key' &&
          (await webchat.webchatChannel(principal.channelId).then(
            () => true,
            () => false,
          ));
        return { chat, agents_available: chat && (await live.agentsAvailable()) };
      },
    );

    app.post(
      '/chat/v1/sessions',
      {
        config: { access: 'publishable' },
        schema: {
          tags: ['webchat'],
          summary: 'Start or resume a web chat visitor (publishable key of a webchat channel)',
          body: strictObject({
            visitor_token: Type.Optional(Type.String({ maxLength: 200 })),
            anonymous_id: Type.Optional(Type.String({ maxLength: 200 })),
            locale: Type.Optional(Type.String({ maxLength: 35 })),
            name: Type.Optional(Type.String({ maxLength: 200 })),
            email: Type.Optional(Type.String({ maxLength: 320 })),
          }),
          response: {
            200: Type.Object({
              visitor_token: Type.String(),
              visitor: VisitorSchema,
              agents_available: Type.Boolean(),
            }),
          },
        },
      },
      async (request) => {
        const principal = request.principal;
        if (principal.kind !== 'publishable_key') throw new AppError('forbidden', 'Use a publishable key.');
        const { token, visitor } = await webchat.startSession(principal.channelId, request.body);
        return {
          visitor_token: token,
          visitor: visitorJson(visitor),
          agents_available: await live.agentsAvailable(),
        };
      },
    );

    app.post(
      '/chat/v1/uploads',
      {
        bodyLimit: deps.maxUploadBytes + 1,
        config: { access: 'public' },
        schema: {
          tags: ['webchat'],
          summary: 'Upload a file for a later chat message (raw body, X-Visitor-Token, ?filename=)',
          querystring: strictObject({ filename: Type.String({ minLength: 1, maxLength: 200 }) }),
          response: {
            201: Type.Object({
              id: Type.String(),
              filename: Type.String(),
              content_type: Type.String(),
              size: Type.Integer(),
            }),
          },
        },
      },
      async (request, reply) => {
        const visitor = await visitorOf(request.headers[VISITOR_HEADER]);
        const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (!content.length)
          throw new AppError('validation_failed', 'Send the file as the request body.', {
            errors: [{ field: 'body', message: 'must be the file’s bytes' }],
          });
        const contentType = request.headers['content-type'] ?? 'application/octet-stream';
        const stored = await webchat.upload(visitor, {
          filename: request.query.filename,
          contentType,
          content,
        });
        return reply.status(201).send(stored);
      },
    );

    app.get(
      '/chat/v1/ws',
      {
        websocket: true,
        config: { access: 'public' },
        schema: {
          tags: ['webchat'],
          summary: 'The visitor’s live chat (WebSocket; ?token=wvt_…, &since=<last message id seen>)',
          querystring: Type.Object({
            token: Type.String({ maxLength: 200 }),
            since: Type.Optional(Type.String({ maxLength: 64 })),
          }),
        },
        // A bad token is refused before the upgrade: the browser sees 401, no socket is opened. (After validation,
        // so a request without any token is a 400 naming it, like every other malformed request.)
        preHandler: async (request) => {
          const query = request.query as { token?: unknown };
          (request as unknown as { visitor: Visitor }).visitor = await visitorOf(query.token);
        },
      },
      (socket, request) => handleSocket(socket, request),
    );
  };

  function handleSocket(socket: WebSocket, request: FastifyRequest): void {
    const visitor = (request as unknown as { visitor: Visitor }).visitor;
    const since = (request.query as { since?: string }).since ?? null;
    live.attach(visitor.id, socket);
    const send = (message: object) => socket.send(JSON.stringify(message));
    // Messages are handled one after another, so her messages land in the order she sent them.
    let queue = Promise.resolve();
    socket.on('message', (raw) => {
      queue = queue
        .then(() => handle(String(raw)))
        .catch((err: unknown) => {
          const problem = err instanceof AppError ? err : null;
          if (!problem) request.log.error({ err }, 'web chat message failed');
          send({
            type: 'error',
            code: problem?.code ?? 'internal',
            detail: problem?.message ?? 'Something went wrong; try again.',
            errors: (problem?.details as { errors?: unknown } | undefined)?.errors ?? [],
          });
        });
    });

    async function handle(raw: string): Promise<void> {
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new AppError('validation_failed', 'Messages are JSON objects.');
      }
      if (m.type === 'message') {
        const clientId = String(m.client_id ?? '');
        const result = await webchat.sendMessage(visitor, {
          client_id: clientId,
          text: typeof m.text === 'string' ? m.text : null,
          upload_ids: Array.isArray(m.attachments) ? m.attachments.map(String) : [],
        });
        send({ type: 'ack', client_id: clientId, message_id: result.message_id, status: result.status });
        live.push(visitor.id, {
          type: 'message',
          client_id: clientId,
          message: {
            id: result.message_id,
            direction: 'in',
            text: m.text ?? null,
            created_at: new Date().toISOString(),
          },
        });
      } else if (m.type === 'csat') {
        // Her answer from the widget's scale; every socket of hers shows the thanks in place of the scale.
        const survey = await webchat.answerSurvey(visitor, {
          survey_id: m.survey_id,
          rating: m.rating,
          comment: m.comment,
        });
        live.push(visitor.id, {
          type: 'csat_answered',
          survey_id: survey.id,
          rating: survey.rating,
          comment: survey.comment,
        });
      } else if (m.type === 'typing') {
        live.visitorTyping(visitor, m.state === 'idle' ? 'idle' : 'typing');
      } else if (m.type === 'identify' || m.type === 'continue_by_email') {
        const email = String(m.email ?? '');
        const named =
          m.type === 'identify'
            ? await webchat.identify(visitor, {
                email,
                name: typeof m.name === 'string' ? m.name : undefined,
              })
            : // Without an email: the one her pre-chat form gave (the widget does not ask twice).
              await webchat.continueByEmail(visitor, typeof m.email === 'string' ? m.email : undefined);
        Object.assign(visitor, named);
        send({ type: 'visitor', visitor: visitorJson(named) });
      } else throw new AppError('validation_failed', `Unknown message type ${String(m.type)}.`);
    }

    queue = queue.then(async () => {
      const missed = await webchat.history(visitor, since);
      send({
        type: 'ready',
        visitor: visitorJson(visitor),
        agents_available: await live.agentsAvailable(),
        messages: missed.map(messageJson),
      });
    });
  }
}
