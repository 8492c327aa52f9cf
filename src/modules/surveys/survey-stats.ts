/**
 * Survey formulas: pure, no database. Every figure comes with its number of answers and, for
 * CSAT and NPS, a 95% confidence interval; small samples are flagged.
 *
 * - CSAT (1–5): the share of answers that are 4 or 5, in percent. Interval: Wilson score.
 * - NPS (0–10): % promoters (9–10) minus % detractors (0–6), from −100 to 100. Interval: the
 *   adjusted Wald interval for a difference of two proportions of one multinomial sample
 *   (add ¾ of a promoter and ¾ of a detractor, n + 3; Rocks 2016, Sauro & Lewis).
 * - CES (1–7, 7 = "very easy"): the mean. Interval: mean ± 1.96·s/√n (normal approximation).
 */

export const Z95 = 1.959963984540054;
/** Below this many answers a figure is shown as a small sample. */
export const SMALL_SAMPLE = 30;

export type SurveyType = "csat" | "nps" | "ces";

export type Interval = { low: number; high: number };

export type Figure = {
  /** The figure (percent for CSAT, −100…100 for NPS, the mean for CES); null without answers. */
  value: number | null;
  n: number;
  interval: Interval | null;
  smallSample: boolean;
};

export type CsatFigure = Figure & { satisfied: number };
export type NpsFigure = Figure & { promoters: number; passives: number; detractors: number };
export type CesFigure = Figure;

export const SCALE: Record<SurveyType, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  ces: { min: 1, max: 7 },
};

const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Wilson score interval for k successes of n, as proportions (0–1). */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Adjusted Wald interval of NPS as a proportion difference (−1…1). */
export function npsAdjustedWald(promoters: number, detractors: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const nAdj = n + 3;
  const pp = (promoters + 0.75) / nAdj;
  const pd = (detractors + 0.75) / nAdj;
  const nps = pp - pd;
  const variance = (pp + pd - nps * nps) / nAdj;
  const moe = z * Math.sqrt(variance);
  return { low: Math.max(-1, nps - moe), high: Math.min(1, nps + moe) };
}

export function csat(scores: readonly number[]): CsatFigure {
  const n = scores.length;
  const satisfied = scores.filter((s) => s >= 4).length;
  const w = wilson(satisfied, n);
  return {
    value: n === 0 ? null : round((100 * satisfied) / n),
    n,
    satisfied,
    interval: w && { low: round(100 * w.low), high: round(100 * w.high) },
    smallSample: n < SMALL_SAMPLE,
  };
}

export function nps(scores: readonly number[]): NpsFigure {
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const w = npsAdjustedWald(promoters, detractors, n);
  return {
    value: n === 0 ? null : round((100 * (promoters - detractors)) / n),
    n,
    promoters,
    passives: n - promoters - detractors,
    detractors,
    interval: w && { low: round(100 * w.low), high: round(100 * w.high) },
    smallSample: n < SMALL_SAMPLE,
  };
}

export function ces(scores: readonly number[]): CesFigure {
  const n = scores.length;
  if (n === 0) return { value: null, n, interval: null, smallSample: true };
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  let interval: Interval | null = null;
  if (n >= 2) {
    const variance = scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (n - 1);
    const half = (Z95 * Math.sqrt(variance)) / Math.sqrt(n);
    interval = { low: round(Math.max(1, mean - half), 2), high: round(Math.min(7, mean + half), 2) };
  }
  return { value: round(mean, 2), n, interval, smallSample: n < SMALL_SAMPLE };
}

export function figure(type: SurveyType, scores: readonly number[]): Figure {
  return type === "csat" ? csat(scores) : type === "nps" ? nps(scores) : ces(scores);
}

/**
 * A low score, which opens a recovery task: CSAT 1–2, NPS 0–6 (a detractor), CES 1–3 (the
 * customer disagreed that it was easy: 1 = very difficult … 7 = very easy, the CES 2.0 scale).
 */
export function isLowScore(type: SurveyType, score: number): boolean {
  if (type === "csat") return score <= 2;
  if (type === "nps") return score <= 6;
  return score <= 3;
}

export function validScore(type: SurveyType, score: number): boolean {
  const { min, max } = SCALE[type];
  return Number.isInteger(score) && score >= min && score <= max;
}

/** Monday (UTC) of the ISO week of an instant, as YYYY-MM-DD. */
export function weekOf(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}
