import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addUnits,
  DateFormatError,
  formatTimestamp,
  parseTimestamp,
  parseTimeUnit,
  ticks,
  utcToZone,
  windowsZoneToIana,
  zoneToUtc,
  type AdfDateTime,
} from '../../../src/core/adf/expression/datetime';

function ts(s: string): AdfDateTime {
  const d = parseTimestamp(s);
  assert.ok(d, `should parse ${s}`);
  return d;
}

test('parses ISO 8601 with fractions (7 digits kept), offsets (converted to UTC) and dates alone', () => {
  assert.equal(formatTimestamp(ts('2018-03-15T13:00:00.1234567Z')), '2018-03-15T13:00:00.1234567Z');
  assert.equal(formatTimestamp(ts('2018-03-15T13:00:00+02:00')), '2018-03-15T11:00:00.0000000Z');
  assert.equal(formatTimestamp(ts('2018-03-15T23:30:00-05:30')), '2018-03-16T05:00:00.0000000Z');
  assert.equal(formatTimestamp(ts('2018-03-15')), '2018-03-15T00:00:00.0000000Z');
  assert.equal(formatTimestamp(ts('03/15/2018 12:00:00 PM')), '2018-03-15T12:00:00.0000000Z');
  assert.equal(formatTimestamp(ts('03/15/2018 12:00:00 AM')), '2018-03-15T00:00:00.0000000Z');
  assert.equal(formatTimestamp(ts('Thu, 15 Mar 2018 13:00:00 GMT')), '2018-03-15T13:00:00.0000000Z');
});

test('rejects invalid timestamps', () => {
  for (const s of ['', 'yesterday', '2018-02-30T00:00:00Z', '2018-13-01', '2018-03-15T24:00:00Z', '2018-03-15T13:00:00+2']) {
    assert.equal(parseTimestamp(s), undefined, s);
  }
});

test('.NET custom format specifiers', () => {
  const d = ts('2018-03-05T07:08:09.0450000Z');
  assert.equal(formatTimestamp(d, 'yyyy-MM-ddTHH:mm:ss.fffK'), '2018-03-05T07:08:09.045Z');
  assert.equal(formatTimestamp(d, 'd/M/yy h:m:s tt'), '5/3/18 7:8:9 AM');
  assert.equal(formatTimestamp(d, 'dddd dd MMMM MMM ddd'), 'Monday 05 March Mar Mon');
  assert.equal(formatTimestamp(d, "'Day' d 'of' yyyy"), 'Day 5 of 2018');
  assert.equal(formatTimestamp(d, 'yyyyMMdd\\THHmm'), '20180305T0708');
  assert.equal(formatTimestamp(d, 'HH:mm:ss.FFF'), '07:08:09.045');
  assert.equal(formatTimestamp(ts('2018-03-05T19:00:00Z'), 'HH:mm:ss.FFF hh t'), '19:00:00 07 P', 'an all-zero F fraction drops its dot');
  assert.equal(formatTimestamp(d, '%d'), '5');
  assert.equal(formatTimestamp(d, 'zzz'), '+00:00');
});

test('.NET standard formats (en-US)', () => {
  const d = ts('2018-04-15T13:05:09Z');
  assert.equal(formatTimestamp(d, 'o'), '2018-04-15T13:05:09.0000000Z');
  assert.equal(formatTimestamp(d, 's'), '2018-04-15T13:05:09');
  assert.equal(formatTimestamp(d, 'u'), '2018-04-15 13:05:09Z');
  assert.equal(formatTimestamp(d, 'R'), 'Sun, 15 Apr 2018 13:05:09 GMT');
  assert.equal(formatTimestamp(d, 'D'), 'Sunday, April 15, 2018');
  assert.equal(formatTimestamp(d, 'd'), '4/15/2018');
  assert.equal(formatTimestamp(d, 'g'), '4/15/2018 1:05 PM');
  assert.equal(formatTimestamp(d, 'y'), 'April 2018');
  assert.throws(() => formatTimestamp(d, 'Q'), DateFormatError);
  assert.throws(() => formatTimestamp(d, "yyyy 'open"), DateFormatError);
});

test('month and year arithmetic clamps to the end of the month', () => {
  assert.equal(formatTimestamp(addUnits(ts('2018-01-31T10:00:00Z'), 1, 'Month')), '2018-02-28T10:00:00.0000000Z');
  assert.equal(formatTimestamp(addUnits(ts('2020-02-29T00:00:00Z'), 1, 'Year')), '2021-02-28T00:00:00.0000000Z');
  assert.equal(formatTimestamp(addUnits(ts('2018-03-31T00:00:00Z'), -13, 'Month')), '2017-02-28T00:00:00.0000000Z');
  assert.equal(formatTimestamp(addUnits(ts('2018-03-01T00:00:00Z'), 2, 'Week')), '2018-03-15T00:00:00.0000000Z');
});

test('time units accept any case and plurals', () => {
  assert.equal(parseTimeUnit('day'), 'Day');
  assert.equal(parseTimeUnit('Hours'), 'Hour');
  assert.equal(parseTimeUnit('fortnight'), undefined);
});

test('Windows time zones, punctuation optional, with daylight saving time', () => {
  assert.equal(windowsZoneToIana('Pacific Standard Time'), 'America/Los_Angeles');
  assert.equal(windowsZoneToIana('W Europe Standard Time'), 'Europe/Berlin');
  assert.equal(windowsZoneToIana('Europe/Berlin'), undefined, 'ADF takes Windows names, not IANA ids');
  const summer = utcToZone(ts('2018-07-01T12:00:00Z'), 'America/Los_Angeles');
  assert.equal(formatTimestamp(summer), '2018-07-01T05:00:00.0000000');
  const winter = utcToZone(ts('2018-01-01T12:00:00Z'), 'Europe/Berlin');
  assert.equal(formatTimestamp(winter), '2018-01-01T13:00:00.0000000');
  assert.equal(formatTimestamp(zoneToUtc(ts('2018-07-01T05:00:00'), 'America/Los_Angeles')), '2018-07-01T12:00:00.0000000Z');
  assert.equal(formatTimestamp(zoneToUtc(ts('2018-01-01T00:00:00'), 'Asia/Kolkata')), '2017-12-31T18:30:00.0000000Z');
});

test('ticks count 100 ns units since 0001-01-01', () => {
  assert.equal(ticks(ts('0001-01-01T00:00:00Z')), 0);
  assert.equal(ticks(ts('1970-01-01T00:00:00Z')), 621355968000000000);
  assert.equal(ticks(ts('0001-01-01T00:00:00.0000001Z')), 1);
});
