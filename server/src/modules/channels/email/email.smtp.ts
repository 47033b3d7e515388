/**
 * @module The built-in SMTP listener for inbound email (smtp-server). RCPT TO must be an active email channel's
 * address (or its +token form), the size limit is announced in EHLO and enforced on DATA, and a message is only
 * answered 250 once it is stored: a refusal (malformed, attachment over the limits) is a 550/552 the sending
 * server turns into a bounce, and it is logged.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { AppError } from '../../../platform/errors';
import type { Channel } from '../../channels';

export interface SmtpDeps {
  maxBytes: number;
  /** The active email channel receiving mail for this address, or null. */
  channelFor: (address: string) => Promise<Channel | null>;
  /** Stores (and processes) one message for one channel; throws AppError to refuse it. */
  accept: (channel: Channel, raw: Buffer, recipient: string) => Promise<{ inbound_id: string }>;
  log: FastifyBaseLogger;
}

const smtpError = (message: string, code: number) =>
  Object.assign(new Error(message), { responseCode: code });

export function createSmtpListener(deps: SmtpDeps) {
  const server = new SMTPServer({
    // Inbound MX: anyone may hand us mail for our addresses; no AUTH, no relaying elsewhere.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: deps.maxBytes,
    banner: 'Omnis inbound mail',
    logger: false,
    async onRcptTo(address, _session, callback) {
      try {
        const channel = await deps.channelFor(address.address);
        if (!channel) return callback(smtpError(`No mailbox here for ${address.address}`, 550));
        return callback();
      } catch (err) {
        deps.log.error({ err }, 'SMTP recipient lookup failed');
        return callback(smtpError('Temporary failure, try again later', 451));
      }
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          deps.log.warn(
            { from: session.envelope.mailFrom },
            `inbound email refused: larger than ${deps.maxBytes} bytes`,
          );
          return callback(smtpError(`Message exceeds the maximum size of ${deps.maxBytes} bytes`, 552));
        }
        void deliver(Buffer.concat(chunks), session).then(
          (ids) => callback(null, `Stored as ${ids.join(', ')}`),
          (err: unknown) => {
            if (err instanceof AppError) {
              deps.log.warn({ err: err.message }, 'inbound email refused');
              return callback(smtpError(err.message, err.code === 'validation_failed' ? 550 : 451));
            }
            deps.log.error({ err }, 'inbound email could not be stored');
            return callback(smtpError('Temporary failure, try again later', 451));
          },
        );
      });
    },
  });

  /** One stored copy per channel among the recipients, with the recipient as Delivered-To (as an MTA adds it). */
  async function deliver(raw: Buffer, session: SMTPServerSession): Promise<string[]> {
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const rcpt of session.envelope.rcptTo) {
      const channel = await deps.channelFor(rcpt.address);
      if (!channel || seen.has(channel.id)) continue;
      seen.add(channel.id);
      const stamped = Buffer.concat([Buffer.from(`Delivered-To: ${rcpt.address}\r\n`), raw]);
      ids.push((await deps.accept(channel, stamped, rcpt.address)).inbound_id);
    }
    return ids;
  }

  return {
    /** Listens and resolves with the port (useful with port 0). */
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.server.address() as AddressInfo).port);
        });
      });
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
