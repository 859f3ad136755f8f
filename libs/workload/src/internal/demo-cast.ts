import type { SeededRandom } from './seeded-random';

/** A raw record of the activity with the time it happened, so the whole activity can be put in order. */
export interface TimedRecord {
  readonly timestamp: number;
  readonly text: string;
}

/** The account every demo event is sent from. */
export const demoAccountId = '111122223333';
export const demoRegion = 'us-east-1';
export const demoOrganizations = ['org-4051', 'org-7720'] as const;
export const demoCampaigns = [
  'spring-sale',
  'welcome-series',
  'order-updates',
  'loyalty-rewards',
  'win-back',
] as const;

/** A destination country: its calling code, carriers (mcc, mnc, name) and the price of one SMS part. */
export interface DemoCountry {
  readonly isoCountryCode: string;
  readonly callingCode: string;
  readonly carriers: readonly { readonly mcc: string; readonly mnc: string; readonly name: string }[];
  readonly smsPrice: number;
  readonly carrierFee: number;
  readonly voicePricePerMinute: number;
  readonly weight: number;
}

export const demoCountries: readonly DemoCountry[] = [
  {
    isoCountryCode: 'US',
    callingCode: '1',
    carriers: [
      { mcc: '310', mnc: '260', name: 'T-Mobile USA' },
      { mcc: '310', mnc: '410', name: 'AT&T Mobility' },
      { mcc: '311', mnc: '480', name: 'Verizon Wireless' },
    ],
    smsPrice: 0.00581,
    carrierFee: 0.00302,
    voicePricePerMinute: 0.013,
    weight: 50,
  },
  {
    isoCountryCode: 'CA',
    callingCode: '1',
    carriers: [
      { mcc: '302', mnc: '720', name: 'Rogers Wireless' },
      { mcc: '302', mnc: '610', name: 'Bell Mobility' },
    ],
    smsPrice: 0.0075,
    carrierFee: 0.0025,
    voicePricePerMinute: 0.015,
    weight: 10,
  },
  {
    isoCountryCode: 'GB',
    callingCode: '44',
    carriers: [
      { mcc: '234', mnc: '10', name: 'O2 UK' },
      { mcc: '234', mnc: '15', name: 'Vodafone UK' },
    ],
    smsPrice: 0.0457,
    carrierFee: 0,
    voicePricePerMinute: 0.03,
    weight: 12,
  },
  {
    isoCountryCode: 'DE',
    callingCode: '49',
    carriers: [
      { mcc: '262', mnc: '01', name: 'Telekom Deutschland' },
      { mcc: '262', mnc: '02', name: 'Vodafone Germany' },
    ],
    smsPrice: 0.0864,
    carrierFee: 0,
    voicePricePerMinute: 0.041,
    weight: 8,
  },
  {
    isoCountryCode: 'BR',
    callingCode: '55',
    carriers: [{ mcc: '724', mnc: '05', name: 'Claro Brasil' }],
    smsPrice: 0.0513,
    carrierFee: 0,
    voicePricePerMinute: 0.048,
    weight: 8,
  },
  {
    isoCountryCode: 'IN',
    callingCode: '91',
    carriers: [{ mcc: '404', mnc: '45', name: 'Airtel' }],
    smsPrice: 0.0028,
    carrierFee: 0.0011,
    voicePricePerMinute: 0.021,
    weight: 7,
  },
  {
    isoCountryCode: 'AU',
    callingCode: '61',
    carriers: [{ mcc: '505', mnc: '01', name: 'Telstra' }],
    smsPrice: 0.0429,
    carrierFee: 0,
    voicePricePerMinute: 0.035,
    weight: 5,
  },
];

const firstNames = [
  'jane',
  'john',
  'maria',
  'sam',
  'li',
  'aisha',
  'carlos',
  'emma',
  'noah',
  'priya',
  'lucas',
  'mia',
];
const lastNames = [
  'doe',
  'roe',
  'garcia',
  'lee',
  'wang',
  'khan',
  'silva',
  'smith',
  'brown',
  'patel',
  'muller',
  'rossi',
];
const mailDomains = ['example.net', 'example.org', 'example.com', 'mail.example.net'];

/** A plausible recipient address. */
export function emailAddressOf(random: SeededRandom): string {
  return `${random.pick(firstNames)}.${random.pick(lastNames)}${random.int(1, 999)}@${random.pick(mailDomains)}`;
}

/** A display name for a WhatsApp contact. */
export function personNameOf(random: SeededRandom): string {
  const capital = (word: string): string => word[0].toUpperCase() + word.slice(1);
  return `${capital(random.pick(firstNames))} ${capital(random.pick(lastNames))}`;
}

/** A destination country chosen by how much traffic each gets. */
export function countryOf(random: SeededRandom): DemoCountry {
  return random.weighted(demoCountries.map((country) => [country, country.weight] as const));
}

/** An E.164 number in a country, without or with its leading +. */
export function phoneNumberOf(random: SeededRandom, country: DemoCountry, plus = true): string {
  const national =
    country.callingCode === '1' ? `${random.int(201, 989)}555${random.digits(4)}` : `7${random.digits(9)}`;
  return `${plus ? '+' : ''}${country.callingCode}${national}`;
}

/** Epoch milliseconds as ISO 8601 text, the way SES writes them. */
export function isoOf(epochMillis: number): string {
  return new Date(epochMillis).toISOString();
}

/** Rounds a price the way End User Messaging reports it. */
export function priceOf(value: number): number {
  return Math.round(value * 100_000) / 100_000;
}
