/**
 * @module The vocabulary of consent (purposes, communication channels, statuses, sources, legal bases) in one
 * place, and the pure rules of `can()`: which record counts, what it allows, and quiet hours.
 *
 * Per-channel opt-in is consent with purpose `marketing` and that channel: "may we send Ana offers by SMS" is
 * the `marketing`/`sms` record. A purpose-wide record (no channel) withdrawn or denied stops every channel; a
 * purpose-wide grant never stands in for a channel's opt-in for marketing, but does for the other purposes
 * (analytics consent is not given per channel).
 */

export const consentPurposes = ['service', 'marketing', 'analytics', 'personalization', 'profiling'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

/** Add a channel here and everything else (API enums, can(), quiet hours) follows. */
export const communicationChannels = [
  'email',
  'sms',
  'whatsapp',
  'push',
  'phone',
  'post',
  'messenger',
  'in_app',
] as const;
export type CommunicationChannel = (typeof communicationChannels)[number];

/** Channels that reach a person as it is sent; quiet hours hold them back. A letter waits in the mailbox. */
const interruptiveChannels: ReadonlySet<CommunicationChannel> = new Set(
  communicationChannels.filter((c) => c !== 'post'),
);

/** What a caller may record; `pending_confirmation` is only ever set by double opt-in. */
export const recordableStatuses = ['granted', 'denied', 'withdrawn'] as const;
export type RecordableStatus = (typeof recordableStatuses)[number];
export type ConsentStatus = RecordableStatus | 'pending_confirmation';

export const consentSources = ['channel', 'staff', 'import', 'customer'] as const;
export type ConsentSource = (typeof consentSources)[number];

/** GDPR Art. 6(1) (a)–(f). */
export const legalBases = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;
export type LegalBasis = (typeof legalBases)[number];

/** Stored in place of a channel for purpose-wide records (see the migration for why not NULL). */
export const ANY_CHANNEL = '*';

export const defaultLegalBasis = (purpose: ConsentPurpose): LegalBasis =>
  purpose === 'service' ? 'contract' : 'consent';

/** Email marketing consent needs double opt-in unless the customer's email is already verified. */
export const needsDoubleOptIn = (purpose: string, channel: string | null, status: string) =>
  purpose === 'marketing' && channel === 'email' && status === 'granted';

export interface ConsentState {
  status: string;
  occurred_at: number;
  event_id: string;
}

/** Newest first by when it happened; the id (time-sortable) breaks ties by arrival. */
export const isNewer = (a: ConsentState, b: ConsentState) =>
  a.occurred_at !== b.occurred_at ? a.occurred_at > b.occurred_at : a.event_id > b.event_id;

export interface QuietHours {
  start: string;
  end: string;
  timezone: string;
}

export interface CanInput {
  purpose: ConsentPurpose;
  channel: CommunicationChannel | null;
  /** The channel's own record and the purpose-wide record, each already the newest of the merged family. */
  exact: ConsentState | undefined;
  wide: ConsentState | undefined;
  restricted: boolean;
  quietHours: QuietHours | null;
  at: Date | null;
}

export interface CanResult {
  allowed: boolean;
  /**
   * granted | contract (service, nothing against it) | restricted | erased | no_consent | denied | withdrawn |
   * pending_confirmation | quiet_hours
   */
  reason: string;
}

const negative = (s: ConsentState | undefined) => s?.status === 'denied' || s?.status === 'withdrawn';

/** The record that decides for (purpose, channel). */
function effectiveState(input: CanInput): ConsentState | undefined {
  if (!input.channel) return input.wide;
  const candidates = [input.exact];
  if (negative(input.wide) || input.purpose !== 'marketing') candidates.push(input.wide);
  return candidates.reduce<ConsentState | undefined>(
    (best, s) => (s && (!best || isNewer(s, best)) ? s : best),
    undefined,
  );
}

/**
 * The rule every sender follows.
 * @example decide({ purpose: 'marketing', channel: 'sms', exact: granted, wide: undefined, restricted: false, quietHours: null, at: null }) // { allowed: true, reason: 'granted' }
 */
export function decide(input: CanInput): CanResult {
  if (input.restricted && input.purpose !== 'service') return { allowed: false, reason: 'restricted' };
  const state = effectiveState(input);
  if (input.purpose === 'service') {
    if (negative(state)) return { allowed: false, reason: state!.status };
    return { allowed: true, reason: state?.status === 'granted' ? 'granted' : 'contract' };
  }
  if (!state) return { allowed: false, reason: 'no_consent' };
  if (state.status !== 'granted') return { allowed: false, reason: state.status };
  if (
    input.purpose === 'marketing' &&
    input.at &&
    input.quietHours &&
    (!input.channel || interruptiveChannels.has(input.channel)) &&
    withinQuietHours(input.at, input.quietHours)
  ) {
    return { allowed: false, reason: 'quiet_hours' };
  }
  return { allowed: true, reason: 'granted' };
}

export function isValidTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight of `at` in `zone`. */
export function localMinutes(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/** Quiet hours may cross midnight (21:00–08:00); the start minute is quiet, the end minute is not. */
export function withinQuietHours(at: Date, quiet: QuietHours): boolean {
  const now = localMinutes(at, quiet.timezone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
