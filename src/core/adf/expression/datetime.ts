/**
 * Timestamps for the ADF date functions: parsing the strings ADF accepts, .NET date format
 * strings (standard and custom, en-US / invariant names), unit arithmetic and Windows time zones.
 *
 * A timestamp is held as its wall-clock time in milliseconds (interpreted as UTC fields), the
 * 100-nanosecond ticks below the millisecond (.NET keeps 7 fraction digits) and its kind: `utc`
 * (printed with `Z` by the `K` specifier) or `unspecified` (what time zone conversions return).
 * Timestamps with an offset are converted to UTC, as ADF does.
 */

export interface AdfDateTime {
  /** Wall-clock time as milliseconds since 1970-01-01 (UTC fields). */
  ms: number;
  /** 100-ns ticks below the millisecond, 0..9999. */
  subTicks: number;
  kind: 'utc' | 'unspecified';
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_ABBR = MONTH_NAMES.map((m) => m.slice(0, 3));

/** .NET ticks at the Unix epoch. */
const EPOCH_TICKS_MS = 62135596800000;

const MIN_MS = Date.UTC(1, 0, 1) - 0; // year 1
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function fromDate(d: Date): AdfDateTime {
  return { ms: d.getTime(), subTicks: 0, kind: 'utc' };
}

function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

function fractionToTicks(frac: string | undefined): { ms: number; subTicks: number } {
  if (!frac) return { ms: 0, subTicks: 0 };
  const seven = (frac + '0000000').slice(0, 7);
  const ticks = Number(seven);
  return { ms: Math.floor(ticks / 10000), subTicks: ticks % 10000 };
}

function offsetMinutes(z: string | undefined): number | undefined {
  if (!z) return undefined;
  if (z === 'Z' || z === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m) return undefined;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?\s*(AM|PM)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a timestamp as ADF accepts it: ISO 8601 (`2018-03-15T13:00:00Z`, with up to 7 fraction
 * digits or an offset, or a date alone), US invariant (`03/15/2018 12:00:00`, optional AM/PM) and
 * RFC 1123 (`Thu, 15 Mar 2018 13:00:00 GMT`). Without a zone, UTC is assumed. Undefined if invalid.
 */
export function parseTimestamp(text: string): AdfDateTime | undefined {
  const s = text.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0;
  let frac: string | undefined;
  let zone: string | undefined;
  let m = ISO_RE.exec(s);
  if (m) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
    if (m[4] !== undefined) {
      h = Number(m[4]);
      mi = Number(m[5]);
      sec = m[6] !== undefined ? Number(m[6]) : 0;
      frac = m[7];
    }
    zone = m[8];
  } else if ((m = US_RE.exec(s))) {
    mo = Number(m[1]);
    d = Number(m[2]);
    y = Number(m[3]);
    if (m[4] !== undefined) {
      h = Number(m[4]);
      mi = Number(m[5]);
      sec = m[6] !== undefined ? Number(m[6]) : 0;
      frac = m[7];
      const ampm = m[8]?.toUpperCase();
      if (ampm) {
        if (h < 1 || h > 12) return undefined;
        if (ampm === 'AM' && h === 12) h = 0;
        else if (ampm === 'PM' && h !== 12) h += 12;
      }
    }
    zone = m[9];
  } else if (/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|Z)$/.test(s)) {
    const t = Date.parse(s);
    if (Number.isNaN(t)) return undefined;
    return { ms: t, subTicks: 0, kind: 'utc' };
  } else {
    return undefined;
  }
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  const f = fractionToTicks(frac);
  let ms = utcMs(y, mo, d, h, mi, sec, f.ms);
  const off = offsetMinutes(zone);
  if (zone && off === undefined) return undefined;
  if (off) ms -= off * 60000;
  return { ms, subTicks: f.subTicks, kind: 'utc' };
}

export function isInSupportedRange(dt: AdfDateTime): boolean {
  return dt.ms >= MIN_MS && dt.ms <= MAX_MS;
}

export type TimeUnit = 'Second' | 'Minute' | 'Hour' | 'Day' | 'Week' | 'Month' | 'Year';
const TIME_UNITS: TimeUnit[] = ['Second', 'Minute', 'Hour', 'Day', 'Week', 'Month', 'Year'];

/** `Day`, `day`, `Days` → `Day`; undefined if not a unit ADF knows. */
export function parseTimeUnit(text: string): TimeUnit | undefined {
  const lower = text.trim().toLowerCase().replace(/s$/, '');
  return TIME_UNITS.find((u) => u.toLowerCase() === lower);
}

export const TIME_UNIT_NAMES: readonly string[] = TIME_UNITS;

/** Adds `amount` units; months and years clamp the day to the month's end, as .NET AddMonths does. */
export function addUnits(dt: AdfDateTime, amount: number, unit: TimeUnit): AdfDateTime {
  const fixed: Partial<Record<TimeUnit, number>> = { Second: 1000, Minute: 60000, Hour: 3600000, Day: 86400000, Week: 604800000 };
  const step = fixed[unit];
  if (step !== undefined) return { ...dt, ms: dt.ms + amount * step };
  const months = unit === 'Year' ? amount * 12 : amount;
  const d = new Date(dt.ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month0 + 1));
  const ms = utcMs(year, month0 + 1, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return { ...dt, ms };
}

export function startOf(dt: AdfDateTime, unit: 'Day' | 'Hour' | 'Month'): AdfDateTime {
  const d = new Date(dt.ms);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  if (unit === 'Month') return { ...dt, ms: utcMs(y, mo, 1, 0, 0, 0, 0), subTicks: 0 };
  if (unit === 'Day') return { ...dt, ms: utcMs(y, mo, d.getUTCDate(), 0, 0, 0, 0), subTicks: 0 };
  return { ...dt, ms: utcMs(y, mo, d.getUTCDate(), d.getUTCHours(), 0, 0, 0), subTicks: 0 };
}

export function dayOfWeek(dt: AdfDateTime): number {
  return new Date(dt.ms).getUTCDay();
}

export function dayOfMonth(dt: AdfDateTime): number {
  return new Date(dt.ms).getUTCDate();
}

export function dayOfYear(dt: AdfDateTime): number {
  const d = new Date(dt.ms);
  const start = utcMs(d.getUTCFullYear(), 1, 1, 0, 0, 0, 0);
  return Math.floor((dt.ms - start) / 86400000) + 1;
}

/** .NET ticks (100 ns since 0001-01-01). Beyond 2^53 a JS number rounds to a few hundred ticks. */
export function ticks(dt: AdfDateTime): number {
  return (dt.ms + EPOCH_TICKS_MS) * 10000 + dt.subTicks;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** en-US standard format strings (what ADF's examples show, e.g. 'D' → "Sunday, April 15, 2018"). */
const STANDARD_FORMATS: Record<string, string> = {
  d: 'M/d/yyyy',
  D: 'dddd, MMMM d, yyyy',
  f: 'dddd, MMMM d, yyyy h:mm tt',
  F: 'dddd, MMMM d, yyyy h:mm:ss tt',
  g: 'M/d/yyyy h:mm tt',
  G: 'M/d/yyyy h:mm:ss tt',
  m: 'MMMM d',
  M: 'MMMM d',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'h:mm tt',
  T: 'h:mm:ss tt',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, MMMM d, yyyy h:mm:ss tt',
  y: 'MMMM yyyy',
  Y: 'MMMM yyyy',
};

export class DateFormatError extends Error {}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s);
}

/**
 * Formats like .NET `DateTime.ToString(format, CultureInfo.InvariantCulture)` with en-US names.
 * Default `o` (round trip, 7 fraction digits). Throws DateFormatError for an invalid format.
 */
export function formatTimestamp(dt: AdfDateTime, format?: string): string {
  let fmt = format === undefined || format === '' ? 'o' : format;
  if (fmt.length === 1) {
    const std = STANDARD_FORMATS[fmt];
    if (!std) throw new DateFormatError(`'${fmt}' is not a standard date format. Use one of ${Object.keys(STANDARD_FORMATS).join(', ')}, or a custom pattern such as 'yyyy-MM-dd'.`);
    fmt = std;
  }
  const d = new Date(dt.ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  const second = d.getUTCSeconds();
  const fraction7 = pad(d.getUTCMilliseconds() * 10000 + dt.subTicks, 7);
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === "'" || c === '"') {
      const end = fmt.indexOf(c, i + 1);
      if (end < 0) throw new DateFormatError(`The date format '${format}' has an unclosed quote.`);
      out += fmt.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= fmt.length) throw new DateFormatError(`The date format '${format}' ends with a lone backslash.`);
      out += fmt[i + 1];
      i += 2;
      continue;
    }
    if (c === '%') {
      i += 1;
      continue;
    }
    let n = 1;
    while (fmt[i + n] === c) n++;
    switch (c) {
      case 'd':
        out += n === 1 ? String(day) : n === 2 ? pad(day, 2) : n === 3 ? DAY_NAMES[d.getUTCDay()].slice(0, 3) : DAY_NAMES[d.getUTCDay()];
        break;
      case 'M':
        out += n === 1 ? String(month) : n === 2 ? pad(month, 2) : n === 3 ? MONTH_ABBR[month - 1] : MONTH_NAMES[month - 1];
        break;
      case 'y':
        out += n === 1 ? String(year % 100) : n === 2 ? pad(year % 100, 2) : pad(year, n);
        break;
      case 'H':
        out += n === 1 ? String(hour) : pad(hour, 2);
        break;
      case 'h': {
        const h12 = hour % 12 === 0 ? 12 : hour % 12;
        out += n === 1 ? String(h12) : pad(h12, 2);
        break;
      }
      case 'm':
        out += n === 1 ? String(minute) : pad(minute, 2);
        break;
      case 's':
        out += n === 1 ? String(second) : pad(second, 2);
        break;
      case 'f':
        if (n > 7) throw new DateFormatError(`The date format '${format}' has more than 7 'f' specifiers.`);
        out += fraction7.slice(0, n);
        break;
      case 'F': {
        if (n > 7) throw new DateFormatError(`The date format '${format}' has more than 7 'F' specifiers.`);
        const digits = fraction7.slice(0, n).replace(/0+$/, '');
        // .NET drops the decimal point before an all-zero F fraction.
        if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case 't':
        out += n === 1 ? (hour < 12 ? 'A' : 'P') : hour < 12 ? 'AM' : 'PM';
        break;
      case 'K':
        out += dt.kind === 'utc' ? 'Z' : '';
        break;
      case 'z':
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'g':
        out += 'A.D.';
        break;
      default:
        out += c.repeat(n);
        break;
    }
    i += n;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Time zones: ADF takes Windows time zone names ("Pacific Standard Time"), punctuation optional.

const WINDOWS_TO_IANA: Record<string, string> = {
  'Dateline Standard Time': 'Etc/GMT+12',
  'UTC-11': 'Etc/GMT+11',
  'Aleutian Standard Time': 'America/Adak',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Marquesas Standard Time': 'Pacific/Marquesas',
  'Alaskan Standard Time': 'America/Anchorage',
  'UTC-09': 'Etc/GMT+9',
  'Pacific Standard Time (Mexico)': 'America/Tijuana',
  'UTC-08': 'Etc/GMT+8',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time (Mexico)': 'America/Mazatlan',
  'Mountain Standard Time': 'America/Denver',
  'Central America Standard Time': 'America/Guatemala',
  'Central Standard Time': 'America/Chicago',
  'Easter Island Standard Time': 'Pacific/Easter',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina',
  'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time (Mexico)': 'America/Cancun',
  'Eastern Standard Time': 'America/New_York',
  'Haiti Standard Time': 'America/Port-au-Prince',
  'Cuba Standard Time': 'America/Havana',
  'US Eastern Standard Time': 'America/Indiana/Indianapolis',
  'Paraguay Standard Time': 'America/Asuncion',
  'Atlantic Standard Time': 'America/Halifax',
  'Venezuela Standard Time': 'America/Caracas',
  'Central Brazilian Standard Time': 'America/Cuiaba',
  'SA Western Standard Time': 'America/La_Paz',
  'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns',
  'Tocantins Standard Time': 'America/Araguaina',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'SA Eastern Standard Time': 'America/Cayenne',
  'Argentina Standard Time': 'America/Argentina/Buenos_Aires',
  'Greenland Standard Time': 'America/Nuuk',
  'Montevideo Standard Time': 'America/Montevideo',
  'Magallanes Standard Time': 'America/Punta_Arenas',
  'Saint Pierre Standard Time': 'America/Miquelon',
  'Bahia Standard Time': 'America/Bahia',
  'UTC-02': 'Etc/GMT+2',
  'Azores Standard Time': 'Atlantic/Azores',
  'Cape Verde Standard Time': 'Atlantic/Cape_Verde',
  UTC: 'Etc/UTC',
  'Coordinated Universal Time': 'Etc/UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'Sao Tome Standard Time': 'Africa/Sao_Tome',
  'Morocco Standard Time': 'Africa/Casablanca',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'Jordan Standard Time': 'Asia/Amman',
  'GTB Standard Time': 'Europe/Bucharest',
  'Middle East Standard Time': 'Asia/Beirut',
  'Egypt Standard Time': 'Africa/Cairo',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'Syria Standard Time': 'Asia/Damascus',
  'West Bank Standard Time': 'Asia/Hebron',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'FLE Standard Time': 'Europe/Kiev',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Kaliningrad Standard Time': 'Europe/Kaliningrad',
  'Sudan Standard Time': 'Africa/Khartoum',
  'Libya Standard Time': 'Africa/Tripoli',
  'Namibia Standard Time': 'Africa/Windhoek',
  'Arabic Standard Time': 'Asia/Baghdad',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Arab Standard Time': 'Asia/Riyadh',
  'Belarus Standard Time': 'Europe/Minsk',
  'Russian Standard Time': 'Europe/Moscow',
  'E. Africa Standard Time': 'Africa/Nairobi',
  'Iran Standard Time': 'Asia/Tehran',
  'Arabian Standard Time': 'Asia/Dubai',
  'Astrakhan Standard Time': 'Europe/Astrakhan',
  'Azerbaijan Standard Time': 'Asia/Baku',
  'Russia Time Zone 3': 'Europe/Samara',
  'Mauritius Standard Time': 'Indian/Mauritius',
  'Saratov Standard Time': 'Europe/Saratov',
  'Georgian Standard Time': 'Asia/Tbilisi',
  'Caucasus Standard Time': 'Asia/Yerevan',
  'Afghanistan Standard Time': 'Asia/Kabul',
  'West Asia Standard Time': 'Asia/Tashkent',
  'Ekaterinburg Standard Time': 'Asia/Yekaterinburg',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Kolkata',
  'Sri Lanka Standard Time': 'Asia/Colombo',
  'Nepal Standard Time': 'Asia/Kathmandu',
  'Central Asia Standard Time': 'Asia/Almaty',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'Omsk Standard Time': 'Asia/Omsk',
  'Myanmar Standard Time': 'Asia/Yangon',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'Altai Standard Time': 'Asia/Barnaul',
  'W. Mongolia Standard Time': 'Asia/Hovd',
  'North Asia Standard Time': 'Asia/Krasnoyarsk',
  'N. Central Asia Standard Time': 'Asia/Novosibirsk',
  'Tomsk Standard Time': 'Asia/Tomsk',
  'China Standard Time': 'Asia/Shanghai',
  'North Asia East Standard Time': 'Asia/Irkutsk',
  'Singapore Standard Time': 'Asia/Singapore',
  'W. Australia Standard Time': 'Australia/Perth',
  'Taipei Standard Time': 'Asia/Taipei',
  'Ulaanbaatar Standard Time': 'Asia/Ulaanbaatar',
  'Aus Central W. Standard Time': 'Australia/Eucla',
  'Transbaikal Standard Time': 'Asia/Chita',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'North Korea Standard Time': 'Asia/Pyongyang',
  'Korea Standard Time': 'Asia/Seoul',
  'Yakutsk Standard Time': 'Asia/Yakutsk',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'West Pacific Standard Time': 'Pacific/Port_Moresby',
  'Tasmania Standard Time': 'Australia/Hobart',
  'Vladivostok Standard Time': 'Asia/Vladivostok',
  'Lord Howe Standard Time': 'Australia/Lord_Howe',
  'Bougainville Standard Time': 'Pacific/Bougainville',
  'Russia Time Zone 10': 'Asia/Srednekolymsk',
  'Magadan Standard Time': 'Asia/Magadan',
  'Norfolk Standard Time': 'Pacific/Norfolk',
  'Sakhalin Standard Time': 'Asia/Sakhalin',
  'Central Pacific Standard Time': 'Pacific/Guadalcanal',
  'Russia Time Zone 11': 'Asia/Kamchatka',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'UTC+12': 'Etc/GMT-12',
  'Fiji Standard Time': 'Pacific/Fiji',
  'Chatham Islands Standard Time': 'Pacific/Chatham',
  'UTC+13': 'Etc/GMT-13',
  'Tonga Standard Time': 'Pacific/Tongatapu',
  'Samoa Standard Time': 'Pacific/Apia',
  'Line Islands Standard Time': 'Pacific/Kiritimati',
};

function normalizeZoneName(name: string): string {
  return name.toLowerCase().replace(/[.()]/g, '').replace(/\s+/g, ' ').trim();
}

// Built on first use: a lint that meets no time zone (most) does not pay for it at start-up.
let zonesByNormalized: Map<string, string> | undefined;

/** The IANA zone for a Windows time zone name ADF accepts, or undefined. */
export function windowsZoneToIana(name: string): string | undefined {
  zonesByNormalized ??= new Map(Object.entries(WINDOWS_TO_IANA).map(([win, iana]) => [normalizeZoneName(win), iana]));
  return zonesByNormalized.get(normalizeZoneName(name));
}

export const WINDOWS_ZONE_EXAMPLES = ['UTC', 'Pacific Standard Time', 'Eastern Standard Time', 'GMT Standard Time', 'W. Europe Standard Time', 'India Standard Time', 'Tokyo Standard Time'];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC in minutes at the instant `utc` (ms). */
export function zoneOffsetMinutes(iana: string, utc: number): number {
  if (iana === 'Etc/UTC') return 0;
  let f = formatters.get(iana);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: iana, timeZoneName: 'longOffset' });
    formatters.set(iana, f);
  }
  const name = f.formatToParts(new Date(utc)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!m) return 0;
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -v : v;
}

/** UTC instant → wall time in the zone (kind `unspecified`). */
export function utcToZone(dt: AdfDateTime, iana: string): AdfDateTime {
  return { ms: dt.ms + zoneOffsetMinutes(iana, dt.ms) * 60000, subTicks: dt.subTicks, kind: 'unspecified' };
}

/** Wall time in the zone → UTC instant. */
export function zoneToUtc(dt: AdfDateTime, iana: string): AdfDateTime {
  const guess = dt.ms - zoneOffsetMinutes(iana, dt.ms) * 60000;
  const ms = dt.ms - zoneOffsetMinutes(iana, guess) * 60000;
  return { ms, subTicks: dt.subTicks, kind: 'utc' };
}
