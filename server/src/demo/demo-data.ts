/**
 * @module Demo data: Alba Home & Style, a small Spanish home-goods retailer with a web shop (and a UK one selling
 * in GBP), an app, three stores, a contact centre on email, web chat, SMS and WhatsApp, and one staff user per
 * role. Later modules extend it (catalog, stock, customers, orders).
 */
import type { CreateChannelInput } from '../modules/channels';
import type { OpeningHours } from '../modules/inventory';
import type { Role } from '../platform/auth/permissions';

const openingHours = {
  mon: ['10:00', '21:00'],
  tue: ['10:00', '21:00'],
  wed: ['10:00', '21:00'],
  thu: ['10:00', '21:00'],
  fri: ['10:00', '21:30'],
  sat: ['10:00', '21:30'],
  sun: null,
};

/**
 * Made-up provider credentials, so that a demo's webhooks can be signed and its replies sent (to a provider peer
 * the server is pointed at). Demo data, not secrets: a real business replaces them, and the API never shows them.
 */
export const demoTwilioAccountSid = 'AC00000000000000000000000000a1ba00';
export const demoTwilioAuthToken = 'alba-demo-twilio-auth-token';
/** The bearer token of the demo email channel's `POST /hooks/email/:channel`. */
export const demoEmailHookToken = 'alba-demo-email-hook-token';

// SMS and WhatsApp name no `provider`: Twilio is the default adapter for those kinds (WhatsApp Cloud says 'meta').
export const demoChannels: CreateChannelInput[] = [
  {
    kind: 'web',
    name: 'Web shop',
    config: { url: 'https://shop.alba-home.example', default_locale: 'es', currency: 'EUR' },
  },
  {
    // A second selling channel in another currency: the same catalog at GBP prices (see demo-catalog.ts).
    kind: 'web',
    name: 'UK online shop',
    config: { url: 'https://uk.alba-home.example', default_locale: 'en', currency: 'GBP' },
  },
  {
    kind: 'app',
    name: 'Alba app (iOS & Android)',
    config: { bundle_id: 'example.alba.shop', currency: 'EUR' },
  },
  {
    kind: 'store',
    name: 'Alba Madrid — Fuencarral',
    config: {
      currency: 'EUR',
      store_code: 'MAD01',
      address: { line1: 'Calle de Fuencarral 45', postal_code: '28004', city: 'Madrid', country: 'ES' },
      coordinates: { lat: 40.4232, lng: -3.7017 },
      timezone: 'Europe/Madrid',
      phone: '+34 910 123 456',
      opening_hours: openingHours,
    },
  },
  {
    kind: 'store',
    name: 'Alba Barcelona — Passeig de Gràcia',
    config: {
      currency: 'EUR',
      store_code: 'BCN01',
      address: { line1: 'Passeig de Gràcia 55', postal_code: '08007', city: 'Barcelona', country: 'ES' },
      coordinates: { lat: 41.3927, lng: 2.1649 },
      timezone: 'Europe/Madrid',
      phone: '+34 930 123 456',
      opening_hours: openingHours,
    },
  },
  {
    kind: 'store',
    name: 'Alba Valencia — Colón',
    config: {
      currency: 'EUR',
      store_code: 'VLC01',
      address: { line1: 'Carrer de Colón 20', postal_code: '46004', city: 'València', country: 'ES' },
      coordinates: { lat: 39.4707, lng: -0.3718 },
      timezone: 'Europe/Madrid',
      phone: '+34 960 123 456',
      opening_hours: openingHours,
    },
  },
  {
    kind: 'email',
    name: 'Customer care email',
    config: { address: 'hola@alba-home.example', name: 'Alba Customer Care' },
    secrets: { hook_token: demoEmailHookToken },
  },
  {
    kind: 'webchat',
    name: 'Web chat',
    config: {
      greeting: {
        en: 'Hi! How can we help?',
        es: '¡Hola! ¿En qué podemos ayudarte?',
        ru: 'Здравствуйте! Чем можем помочь?',
      },
    },
  },
  {
    kind: 'sms',
    name: 'SMS',
    config: { account_sid: demoTwilioAccountSid, from: '+34600100200' },
    secrets: { auth_token: demoTwilioAuthToken },
  },
  {
    kind: 'whatsapp',
    name: 'WhatsApp',
    config: { account_sid: demoTwilioAccountSid, from: '+34600100201' },
    secrets: { auth_token: demoTwilioAuthToken },
  },
];

/** Two shifts on weekdays; the warehouse neither ships nor receives at weekends. */
const warehouseHours: OpeningHours = {
  mon: [['06:00', '22:00']],
  tue: [['06:00', '22:00']],
  wed: [['06:00', '22:00']],
  thu: [['06:00', '22:00']],
  fri: [['06:00', '22:00']],
  sat: [],
  sun: [],
};

/**
 * The central warehouse: not a sales channel, so it is not registered as one; the demo registers it as a
 * location, next to the three stores.
 */
export const demoWarehouse = {
  name: 'Alba central warehouse — Getafe',
  code: 'WH-GTF',
  address: { line1: 'Avenida de la Industria 8', postal_code: '28906', city: 'Getafe', country: 'ES' },
  coordinates: { lat: 40.3047, lng: -3.7311 },
  timezone: 'Europe/Madrid',
  opening_hours: warehouseHours,
};

export const demoStaff: Array<{ email: string; name: string; role: Role; locale: 'en' | 'es' | 'ru' }> = [
  { email: 'admin@alba-home.example', name: 'Lucía Fernández', role: 'admin', locale: 'es' },
  { email: 'agent@alba-home.example', name: 'Marco Ruiz', role: 'agent', locale: 'es' },
  { email: 'associate@alba-home.example', name: 'Olga Smirnova', role: 'associate', locale: 'ru' },
  { email: 'marketer@alba-home.example', name: 'Emma Clarke', role: 'marketer', locale: 'en' },
  { email: 'analyst@alba-home.example', name: 'Javier Moreno', role: 'analyst', locale: 'es' },
];
