/** ADF writes durations as TimeSpan strings: "d.hh:mm:ss", "hh:mm:ss" (optionally with ".fffffff"). */
export function parseTimeSpan(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?\s*$/.exec(value);
  if (!m) return undefined;
  const [, d, h, min, s, frac] = m;
  const ms =
    ((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(min)) * 60_000 +
    Number(s) * 1000 +
    (frac ? Math.round(Number(`0.${frac}`) * 1000) : 0);
  return ms;
}

/** ISO 8601 with the 7 fractional digits ADF prints ("2018-06-16T00:37:44.6257014Z"). */
export function adfTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}
