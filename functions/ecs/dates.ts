/**
 * Date fields of an incident, read and written in the one format of the output:
 * UTC ISO 8601 with exactly three fraction digits and `Z` (`2023-04-26T21:46:10.400Z`).
 * Readers return `undefined` for a value they cannot read; they never throw. Hand-written scanners
 * instead of regular expressions: they run several times per incident, on pages of 2,000.
 */

// The instants whose `toISOString()` has the four-digit year of the output format:
// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
const MIN_INSTANT_MS = -62_167_219_200_000;
const MAX_INSTANT_MS = 253_402_300_799_999;
// More digits than 9999-12-31 in epoch milliseconds (15) cannot be a date of the output format.
const MAX_EPOCH_DIGITS = 15;

/** `ms` (epoch milliseconds) in the output format, or `undefined` outside years 0000-9999. */
export function formatInstant(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const whole = Math.trunc(ms);
  if (whole < MIN_INSTANT_MS || whole > MAX_INSTANT_MS) return undefined;
  // Formatted by hand: `Date#toISOString` costs about as much as the rest of an incident's mapping.
  const days = Math.floor(whole / DAY_MS);
  const inDay = whole - days * DAY_MS;
  const hour = Math.floor(inDay / 3_600_000);
  const minute = Math.floor(inDay / 60_000) % 60;
  const second = Math.floor(inDay / 1000) % 60;
  return `${dayPrefix(days)}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[inDay % 1000]}Z`;
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

// The dates of one page of incidents fall on a few days: the last day's `YYYY-MM-DDT` is kept.
let lastDays = Number.NaN;
let lastPrefix = '';

function dayPrefix(days: number): string {
  if (days !== lastDays) {
    const [year, month, day] = civilFromDays(days);
    lastPrefix = `${formatYear(year)}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
    lastDays = days;
  }
  return lastPrefix;
}

function formatYear(year: number): string {
  return year >= 1000 ? String(year) : String(year).padStart(4, '0');
}

function formatParts(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): string {
  return `${formatYear(year)}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[millis]}Z`;
}

/**
 * Year, month (1-12) and day of the proleptic Gregorian calendar for a count of days since 1970-01-01,
 * by Howard Hinnant's `civil_from_days` (public domain algorithm, exact for every day in range).
 */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

/** `time` and `device_time`: epoch milliseconds, as a number or a string of digits. */
export function readEpochMillis(value: unknown): string | undefined {
  // An incident's `time` and `device_time` are mostly the same instant: the last one read is kept.
  if (value === lastEpochValue) return lastEpochText;
  const text = epochMillisText(value);
  lastEpochValue = value;
  lastEpochText = text;
  return text;
}

let lastEpochValue: unknown = Number.NaN;
let lastEpochText: string | undefined;

function epochMillisText(value: unknown): string | undefined {
  if (typeof value === 'number') return formatInstant(value);
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_EPOCH_DIGITS) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return formatInstant(Number(value));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/** The number written by `count` digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * `created`, `modified`, `log_time`: `YYYY-MM-DD`, optionally `THH:MM`, `:SS`, a fraction of 1-9 digits
 * (`.` or `,`; digits past milliseconds are cut), and an offset `Z`, `±HH`, `±HHMM` or `±HH:MM`.
 * No offset means UTC, as Elasticsearch reads such dates.
 */
export function readIsoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 10) return undefined;
  return UTC_MILLIS_DATE.test(value) ? canonicalUtcDate(value) : readAnyIsoDate(value);
}

// The spelling the API uses, `2023-04-26T21:46:10.400+00:00`, and the output format itself: read by one
// regular expression and a few range checks, with no arithmetic and no new digits to write.
const UTC_MILLIS_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(?:Z|\+00:00)$/;

function canonicalUtcDate(text: string): string | undefined {
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const year = twoDigitsAt(text, 0) * 100 + twoDigitsAt(text, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (twoDigitsAt(text, 11) > 23 || twoDigitsAt(text, 14) > 59 || twoDigitsAt(text, 17) > 59) return undefined;
  return text.length === 24 ? text : `${text.slice(0, 23)}Z`;
}

/** Two digits at `at`, known to be digits. */
function twoDigitsAt(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

function readAnyIsoDate(text: string): string | undefined {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || text[4] !== '-' || text[7] !== '-') return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  let at = 10;
  if (at < text.length) {
    if (text[at] !== 'T' && text[at] !== 't') return undefined;
    hour = digitsAt(text, at + 1, 2);
    minute = digitsAt(text, at + 4, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || text[at + 3] !== ':') return undefined;
    at += 6;
    if (text[at] === ':') {
      second = digitsAt(text, at + 1, 2);
      if (second < 0 || second > 59) return undefined;
      at += 3;
      if (text[at] === '.' || text[at] === ',') {
        const start = ++at;
        while (at < text.length && at - start < 10) {
          const c = text.charCodeAt(at);
          if (c < 48 || c > 57) break;
          if (at - start < 3) millis = millis * 10 + (c - 48);
          at++;
        }
        const count = at - start;
        if (count === 0 || count > 9) return undefined;
        if (count === 1) millis *= 100;
        else if (count === 2) millis *= 10;
      }
    }
    const offset = readOffsetMinutes(text, at);
    if (offset === undefined) return undefined;
    offsetMinutes = offset;
  }
  // The common case, a UTC date, needs no calendar arithmetic.
  if (offsetMinutes === 0) return formatParts(year, month, day, hour, minute, second, millis);
  return formatInstant(utcMillis(year, month, day, hour, minute, second, millis) - offsetMinutes * 60_000);
}

/** The offset that ends `text` from `at`, in minutes east of UTC; `undefined` when it is not one. */
function readOffsetMinutes(text: string, at: number): number | undefined {
  const rest = text.length - at;
  if (rest === 0) return 0;
  const sign = text[at];
  if (rest === 1) return sign === 'Z' || sign === 'z' ? 0 : undefined;
  if (sign !== '+' && sign !== '-') return undefined;
  const hours = digitsAt(text, at + 1, 2);
  let minutes = 0;
  if (rest === 5) minutes = digitsAt(text, at + 3, 2);
  else if (rest === 6 && text[at + 3] === ':') minutes = digitsAt(text, at + 4, 2);
  else if (rest !== 3) return undefined;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  return sign === '-' ? -total : total;
}

// The Gregorian calendar repeats every 400 years, which are exactly 146,097 days.
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  // Date.UTC reads years 0-99 as 1900-1999: compute those 400 years later and step back.
  if (year < 100) return Date.UTC(year + 400, month - 1, day, hour, minute, second, millis) - FOUR_CENTURIES_MS;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}
