/**
 * Config from the environment: an e2e or staging server points the contact centre's providers at loopback peers
 * through variables, and a bad value stops start-up with one sentence naming the variable.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const load = (env: NodeJS.ProcessEnv) => loadConfig({ env, file: '/nonexistent/omnis.config.json' });

describe('config from the environment', () => {
  it('points Twilio, Meta, Telegram, the mail relay and the SMTP listener at loopback peers', () => {
    const config = load({
      OMNIS_TWILIO_API_BASE_URL: 'http://127.0.0.1:4010',
      OMNIS_META_GRAPH_API_BASE_URL: 'http://127.0.0.1:4011',
      OMNIS_TELEGRAM_BOT_API_BASE_URL: 'http://127.0.0.1:4012',
      OMNIS_EMAIL_RELAY_URL: 'smtp://127.0.0.1:4025',
      OMNIS_SMTP_PORT: '4026',
      OMNIS_SMTP_HOST: '127.0.0.1',
      OMNIS_SMTP_ENABLED: 'false',
      OMNIS_PRESENCE_GRACE_MS: '1000',
    });
    expect(config).toMatchObject({
      twilioApiBaseUrl: 'http://127.0.0.1:4010',
      metaGraphApiBaseUrl: 'http://127.0.0.1:4011',
      telegramBotApiBaseUrl: 'http://127.0.0.1:4012',
      emailRelayUrl: 'smtp://127.0.0.1:4025',
      smtpPort: 4026,
      smtpHost: '127.0.0.1',
      smtpEnabled: false,
      presenceGraceMs: 1000,
    });
  });

  it('refuses a bad value naming what is wrong', () => {
    expect(() => load({ OMNIS_SMTP_PORT: 'twenty-five' })).toThrow(/OMNIS_SMTP_PORT must be a whole number/);
    expect(() => load({ OMNIS_SMTP_ENABLED: 'maybe' })).toThrow(/OMNIS_SMTP_ENABLED must be true or false/);
    expect(() => load({ OMNIS_EMAIL_RELAY_URL: 'http://relay' })).toThrow(ConfigError);
    expect(() => load({ OMNIS_TWILIO_API_BASE_URL: 'ftp://x' })).toThrow(/twilioApiBaseUrl/);
  });
});
