/**
 * Ruler ticks: round steps (1, 2, 5 × a power of ten of milliseconds, then seconds and minutes)
 * so that about `target` ticks fall on the visible width. Shared by the renderer (zoom 1) and
 * the page's script (every other zoom), so both draw the same ruler.
 */
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

export interface RulerTick {
  /** Milliseconds after t0. */
  offset: number;
  label: string;
}

export function rulerTicks(spanMs: number, zoom = 1, target = 8): RulerTick[] {
  const span = Math.max(1, spanMs);
  const wanted = span / Math.max(1, target * zoom);
  const step = STEPS.find((s) => s >= wanted) ?? STEPS[STEPS.length - 1];
  const ticks: RulerTick[] = [];
  for (let offset = 0; offset <= span && ticks.length < 2000; offset += step) ticks.push({ offset, label: tickLabel(offset, step) });
  return ticks;
}

function tickLabel(ms: number, step: number): string {
  if (ms === 0) return '0';
  if (step < 1000) return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(step < 100 ? 2 : 1)} s`;
  if (step < 60_000) return ms < 60_000 ? `${ms / 1000} s` : `${Math.floor(ms / 60_000)} min ${(ms % 60_000) / 1000} s`;
  if (step < 3_600_000) return `${ms / 60_000} min`;
  return `${Math.floor(ms / 3_600_000)} h${ms % 3_600_000 ? ` ${(ms % 3_600_000) / 60_000} min` : ''}`;
}
