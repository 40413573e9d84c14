/** The candidate closest to `word` by edit distance (case-insensitive), if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let w: string | undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // A typo is at most a third of the longer word away, and the distance is at least the
    // difference in length: a candidate that cannot be accepted is not measured. PERFORMANCE:
    // this keeps a 15 MB value (an enum checked against a few short names) linear.
    const limit = acceptedDistance(word.length, c.length);
    if (Math.abs(word.length - c.length) > limit) continue;
    w ??= word.toLowerCase();
    const d = editDistance(w, c.toLowerCase(), Math.min(limit, bestDistance - 1));
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= acceptedDistance(word.length, best.length) ? best : undefined;
}

function acceptedDistance(a: number, b: number): number {
  return Math.max(2, Math.floor(Math.max(a, b) / 3));
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours.
 * With `limit`, gives up once the distance must exceed it and answers `limit + 1`; three rows of
 * memory, never a table of the two lengths.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  let prevRowMin = 0;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // A later row is at least min(this row's minimum, the row before's + 1): past the limit, it stays past.
    if (rowMin > limit && prevRowMin >= limit) return limit + 1;
    prevRowMin = rowMin;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[b.length], limit + 1);
}
