/**
 * @module Demo customers: about 2,000 people of the demo retailer, met across its channels — web shop accounts,
 * app installs, loyalty cards at the tills, WhatsApp and SMS conversations. Some people arrive twice through
 * different channels and identity resolution merges them; one pair shares an email but holds two different
 * verified shop accounts, which resolution refuses to merge and records as a conflict. Deterministic: the same
 * seed gives the same people.
 */
import { systemActor } from '../platform/auth/principal';
import type { IdentityService } from '../modules/customers';
import { seededRandom } from './prng';

const firstNames = {
  es: [
    'Lucía',
    'Mateo',
    'Sofía',
    'Hugo',
    'Martina',
    'Leo',
    'Valeria',
    'Daniel',
    'Carmen',
    'Pablo',
    'Elena',
    'Álvaro',
    'Paula',
    'Javier',
    'Irene',
    'Marcos',
    'Noa',
    'Adrián',
    'Julia',
    'Diego',
  ],
  ru: ['Анна', 'Дмитрий', 'Мария', 'Иван', 'Екатерина', 'Алексей', 'Ольга', 'Сергей', 'Наталья', 'Михаил'],
  en: ['Emma', 'Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Mia', 'Noah'],
};
const lastNames = {
  es: [
    'García',
    'Fernández',
    'González',
    'Rodríguez',
    'López',
    'Martínez',
    'Sánchez',
    'Pérez',
    'Gómez',
    'Martín',
    'Jiménez',
    'Ruiz',
    'Hernández',
    'Díaz',
    'Moreno',
    'Álvarez',
    'Romero',
    'Navarro',
    'Torres',
    'Domínguez',
  ],
  ru: [
    'Иванова',
    'Смирнов',
    'Кузнецова',
    'Попов',
    'Соколова',
    'Лебедев',
    'Козлова',
    'Новиков',
    'Морозова',
    'Петров',
  ],
  en: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright'],
};
const latin: Record<string, string> = { á: 'a', é: 'e', í: 'i', ó: 'o', ú: 'u', ñ: 'n', ü: 'u', Á: 'a' };
const cyrillic: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
const russianWomen = new Set(['Анна', 'Мария', 'Екатерина', 'Ольга', 'Наталья']);
const surnameFor = (lang: string, first: string, last: string) =>
  lang === 'ru' && russianWomen.has(first) ? `${last}а` : last;

const mailDomains = [
  'gmail.example',
  'outlook.example',
  'yandex.example',
  'telefonica.example',
  'proton.example',
];

function ascii(text: string): string {
  return [...text.toLowerCase()].map((c) => cyrillic[c] ?? latin[c] ?? c).join('');
}

export interface DemoCustomerChannels {
  web: string;
  app: string;
  stores: string[];
  whatsapp: string;
  sms: string;
  email: string;
}

export interface DemoCustomersResult {
  people: number;
  profiles: number;
  merges: number;
  conflicts: number;
}

/**
 * Meets `count` people through the demo channels via identity resolution (the same call the channels use).
 * @example await seedDemoCustomers(identity, channels, 2000)
 */
export async function seedDemoCustomers(
  identity: IdentityService,
  channels: DemoCustomerChannels,
  count = 2000,
  progress: (line: string) => void = () => undefined,
): Promise<DemoCustomersResult> {
  const rand = seededRandom(20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const day = 86_400_000;
  const now = Date.now();
  let merges = 0;
  let conflicts = 0;
  const profiles = new Set<string>();
  const resolve = async (
    identifiers: Array<{ type: string; value: string; verified?: boolean }>,
    channelId: string,
    seenAt: number,
    profile: Record<string, string>,
  ) => {
    const result = await identity.resolve({
      identifiers,
      channelId,
      seenAt,
      profile,
      actor: systemActor,
      reason: 'demo data',
    });
    merges += result.merged.length;
    conflicts += result.conflicts.length;
    profiles.add(result.customerId);
    for (const m of result.merged) profiles.delete(m);
    return result;
  };

  for (let i = 0; i < count; i++) {
    const lang = rand() < 0.7 ? 'es' : rand() < 0.6 ? 'ru' : 'en';
    const first = pick(firstNames[lang]);
    const last = surnameFor(lang, first, pick(lastNames[lang]));
    const email = `${ascii(first)}.${ascii(last)}${i}@${pick(mailDomains)}`;
    const phone = `+346${String(10_000_000 + Math.floor(rand() * 89_999_999)).slice(0, 8)}`;
    const seenAt = now - Math.floor(rand() * 365) * day;
    const profile = { first_name: first, last_name: last, locale: lang };
    const roll = rand();
    if (roll < 0.45) {
      await resolve(
        [
          { type: 'email', value: email, verified: true },
          { type: 'external_id', value: `web-${100000 + i}`, verified: true },
        ],
        channels.web,
        seenAt,
        profile,
      );
    } else if (roll < 0.65) {
      await resolve(
        [
          { type: 'email', value: email },
          { type: 'device_id', value: `app-device-${i}` },
        ],
        channels.app,
        seenAt,
        profile,
      );
    } else if (roll < 0.85) {
      await resolve(
        [
          { type: 'loyalty_card', value: `ALBA-${400000 + i}` },
          { type: 'phone', value: phone },
        ],
        pick(channels.stores),
        seenAt,
        profile,
      );
    } else {
      await resolve([{ type: 'whatsapp', value: phone }], channels.whatsapp, seenAt, { first_name: first });
    }
    // One in twelve first writes by SMS, then shows up by email with both: resolution merges the two profiles.
    if (i % 12 === 5) {
      await resolve([{ type: 'phone', value: phone }], channels.sms, seenAt + day, {});
      await resolve(
        [
          { type: 'email', value: email },
          { type: 'phone', value: phone },
        ],
        channels.email,
        seenAt + 2 * day,
        {},
      );
    }
    // A few of the WhatsApp-only people later sign up on the web with the same phone and an email: one person.
    if (roll >= 0.85 && i % 7 === 0) {
      await resolve(
        [{ type: 'email', value: email, verified: true }],
        channels.web,
        seenAt + 2 * day,
        profile,
      );
      await resolve(
        [
          { type: 'email', value: email },
          { type: 'whatsapp', value: phone },
        ],
        channels.whatsapp,
        seenAt + 3 * day,
        {},
      );
    }
    if ((i + 1) % 250 === 0) progress(`customers ${i + 1}/${count}`);
  }

  // The refused merge: a couple sharing one household email, each with their own verified shop account.
  await resolve(
    [
      { type: 'external_id', value: 'web-household-1', verified: true },
      { type: 'email', value: 'casa.moreno@gmail.example', verified: true },
    ],
    channels.web,
    now - 30 * day,
    { first_name: 'Javier', last_name: 'Moreno' },
  );
  await resolve(
    [
      { type: 'external_id', value: 'web-household-2', verified: true },
      { type: 'phone', value: '+34611000222' },
    ],
    channels.web,
    now - 20 * day,
    { first_name: 'Carmen', last_name: 'Moreno' },
  );
  await resolve(
    [
      { type: 'email', value: 'casa.moreno@gmail.example' },
      { type: 'phone', value: '+34611000222' },
    ],
    channels.email,
    now - 10 * day,
    {},
  );

  return { people: count, profiles: profiles.size, merges, conflicts };
}
