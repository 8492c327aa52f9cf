/**
 * The health ledger's arithmetic, pure: no database, no clock. Every number the ledger stores
 * comes from here, so the live handlers and `keepdesk health rebuild` agree to the bit.
 * The formulas are documented in this module's README ("Formulas").
 */

export type Band = "healthy" | "watch" | "at_risk";

/** What an event posts to the ledger, before weights (see `ENTRY_KINDS`). */
export type EntryKind =
  | "sla_met"
  | "sla_breached"
  | "promise_kept"
  | "promise_broken"
  | "case_created"
  | "case_reopened"
  | "case_escalated"
  | "survey_csat"
  | "survey_nps"
  | "survey_ces"
  | "complaint"
  | "praise"
  | "idea"
  | "council_attended"
  | "council_missed"
  | "downgrade_request"
  | "discount_request"
  | "price_complaint"
  | "value_touch"
  | "proactive_notice";

export const ENTRY_KINDS: readonly EntryKind[] = [
  "sla_met",
  "sla_breached",
  "promise_kept",
  "promise_broken",
  "case_created",
  "case_reopened",
  "case_escalated",
  "survey_csat",
  "survey_nps",
  "survey_ces",
  "complaint",
  "praise",
  "idea",
  "council_attended",
  "council_missed",
  "downgrade_request",
  "discount_request",
  "price_complaint",
  "value_touch",
  "proactive_notice",
];

/** Churn signals and touches recorded by hand (`POST /accounts/{id}/health-signals`). */
export const SIGNAL_KINDS = [
  "downgrade_request",
  "discount_request",
  "price_complaint",
  "value_touch",
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export type HealthConfig = {
  /** Points per entry kind; surveys: the weight of the best answer (the worst is its negative). */
  weights: Record<EntryKind, number>;
  /** An entry's weight halves every this many days. */
  halfLifeDays: number;
  /** Score of an empty ledger (balance 0). */
  neutralScore: number;
  /** Balance points that move the score's logit by one. */
  scale: number;
  bands: { atRiskEnter: number; atRiskLeave: number; watchEnter: number; watchLeave: number };
  moments: {
    /** Days after the account starts (customer since, else created) during which entries weigh more. */
    onboardingDays: number;
    onboardingMultiplier: number;
    /** The account's first N cases: entries about them weigh more. */
    firstCases: number;
    firstCasesMultiplier: number;
  };
  plays: {
    /** A drop of at least this many points … */
    dropPoints: number;
    /** … within this many days starts a `score_drop` play. */
    dropDays: number;
    /** Task due in this many days: key accounts first. */
    keyTaskDays: number;
    standardTaskDays: number;
  };
};

export const DEFAULT_CONFIG: HealthConfig = {
  weights: {
    sla_met: 1,
    sla_breached: -3,
    promise_kept: 2,
    promise_broken: -4,
    case_created: -0.5,
    case_reopened: -3,
    case_escalated: -5,
    survey_csat: 4,
    survey_nps: 5,
    survey_ces: 3,
    complaint: -5,
    praise: 3,
    idea: 0.5,
    council_attended: 3,
    council_missed: -1,
    downgrade_request: -6,
    discount_request: -3,
    price_complaint: -4,
    value_touch: 2,
    proactive_notice: 1,
  },
  halfLifeDays: 90,
  neutralScore: 70,
  scale: 10,
  bands: { atRiskEnter: 40, atRiskLeave: 50, watchEnter: 60, watchLeave: 70 },
  moments: { onboardingDays: 42, onboardingMultiplier: 2, firstCases: 3, firstCasesMultiplier: 1.5 },
  plays: { dropPoints: 15, dropDays: 7, keyTaskDays: 1, standardTaskDays: 3 },
};

const DAY_MS = 86_400_000;

/** The fraction of a weight left after `ms`: 2^(−ms / half-life). */
export function fadeFactor(cfg: HealthConfig, ms: number): number {
  return 2 ** (-ms / (cfg.halfLifeDays * DAY_MS));
}

/** score = 100 · σ(balance / scale + logit(neutral / 100)), rounded; balance 0 gives the neutral score. */
export function scoreOf(cfg: HealthConfig, balance: number): number {
  const p = cfg.neutralScore / 100;
  const x = balance / cfg.scale + Math.log(p / (1 - p));
  const s = Math.round(100 / (1 + Math.exp(-x)));
  return Math.min(100, Math.max(0, s));
}

/**
 * Band with hysteresis: at_risk is entered below `atRiskEnter` and left only above
 * `atRiskLeave`; watch is entered (from healthy) below `watchEnter` and left for healthy only
 * above `watchLeave`. A first score uses the entry thresholds.
 */
export function bandOf(cfg: HealthConfig, previous: Band | null, score: number): Band {
  const b = cfg.bands;
  switch (previous) {
    case null:
    case "healthy":
      if (score < b.atRiskEnter) return "at_risk";
      if (score < b.watchEnter) return "watch";
      return "healthy";
    case "watch":
      if (score < b.atRiskEnter) return "at_risk";
      if (score > b.watchLeave) return "healthy";
      return "watch";
    case "at_risk":
      if (score <= b.atRiskLeave) return "at_risk";
      return score > b.watchLeave ? "healthy" : "watch";
  }
}

/** A survey answer on [−1, 1]: CSAT 1–5, NPS 0–10 (promoter +1, passive 0, detractor −1), CES 1–7 (7 = easiest). */
export function surveyFactor(type: "csat" | "nps" | "ces", score: number): number | null {
  if (!Number.isFinite(score)) return null;
  if (type === "csat") return score < 1 || score > 5 ? null : (score - 3) / 2;
  if (type === "nps") {
    if (score < 0 || score > 10) return null;
    return score >= 9 ? 1 : score >= 7 ? 0 : -1;
  }
  return score < 1 || score > 7 ? null : (score - 4) / 3;
}

/**
 * The 'moments that matter' multiplier: entries in the first `onboardingDays` after the account
 * starts, or about one of its first `firstCases` cases, weigh more (the larger of the two applies,
 * they do not compound).
 */
export function momentsMultiplier(
  cfg: HealthConfig,
  input: { at: Date; accountStart: Date | null; caseOrdinal: number | null },
): number {
  const m = cfg.moments;
  let k = 1;
  if (input.accountStart) {
    const age = input.at.getTime() - input.accountStart.getTime();
    if (age >= 0 && age < m.onboardingDays * DAY_MS) k = Math.max(k, m.onboardingMultiplier);
  }
  if (input.caseOrdinal !== null && input.caseOrdinal >= 1 && input.caseOrdinal <= m.firstCases)
    k = Math.max(k, m.firstCasesMultiplier);
  return k;
}

export type HealthState = {
  /** The balance as it stood at `balanceAt` (it fades from there). */
  balance: number;
  balanceAt: Date;
  score: number;
  band: Band;
  /** When score and band were last evaluated: the last entry, or the last midnight UTC tick. */
  scoredAt: Date;
  bandSince: Date;
  entries: number;
};

/** Midnight UTC at or before `at`. */
export function midnightBefore(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/**
 * The daily tick: score and band as the balance has faded by midnight `m`. The live daily
 * timer and the replay both evaluate at midnights, so hysteresis sees the same path.
 */
export function tick(cfg: HealthConfig, s: HealthState, m: Date): HealthState {
  if (m.getTime() <= s.scoredAt.getTime()) return s;
  const score = scoreOf(cfg, s.balance * fadeFactor(cfg, m.getTime() - s.balanceAt.getTime()));
  const band = bandOf(cfg, s.band, score);
  return { ...s, score, band, scoredAt: m, bandSince: band === s.band ? s.bandSince : m };
}

export type Applied = { state: HealthState; before: HealthState | null };

/**
 * Posts one weighted entry at `at`. First the day's tick (if a midnight passed since the last
 * evaluation), then the balance fades to `at` and takes the weight. An entry older than the
 * balance (a late delivery) is faded to the balance's time instead, so order barely matters.
 */
export function applyEntry(cfg: HealthConfig, prev: HealthState | null, at: Date, weight: number): Applied {
  if (!prev) {
    const score = scoreOf(cfg, weight);
    const band = bandOf(cfg, null, score);
    return {
      before: null,
      state: { balance: weight, balanceAt: at, score, band, scoredAt: at, bandSince: at, entries: 1 },
    };
  }
  const ticked = tick(cfg, prev, midnightBefore(at));
  let balance: number;
  let balanceAt: Date;
  if (at.getTime() >= ticked.balanceAt.getTime()) {
    balance = ticked.balance * fadeFactor(cfg, at.getTime() - ticked.balanceAt.getTime()) + weight;
    balanceAt = at;
  } else {
    balance = ticked.balance + weight * fadeFactor(cfg, ticked.balanceAt.getTime() - at.getTime());
    balanceAt = ticked.balanceAt;
  }
  const score = scoreOf(cfg, balance);
  const band = bandOf(cfg, ticked.band, score);
  const scoredAt = balanceAt.getTime() > ticked.scoredAt.getTime() ? balanceAt : ticked.scoredAt;
  return {
    before: ticked,
    state: {
      balance,
      balanceAt,
      score,
      band,
      scoredAt,
      bandSince: band === ticked.band ? ticked.bandSince : scoredAt,
      entries: ticked.entries + 1,
    },
  };
}

/** An entry's weight as it stands at `asOf`. */
export function fadedWeight(cfg: HealthConfig, weight: number, at: Date, asOf: Date): number {
  const ms = asOf.getTime() - at.getTime();
  return ms <= 0 ? weight : weight * fadeFactor(cfg, ms);
}

/** Checks a settings document: thresholds in order, positive half-life, scale and multipliers. */
export function configProblems(cfg: HealthConfig): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const b = cfg.bands;
  if (!(b.atRiskEnter <= b.atRiskLeave))
    out.push({ path: "/bands/atRiskLeave", message: "must be ≥ atRiskEnter" });
  if (!(b.watchEnter <= b.watchLeave))
    out.push({ path: "/bands/watchLeave", message: "must be ≥ watchEnter" });
  if (!(b.atRiskEnter < b.watchEnter))
    out.push({ path: "/bands/watchEnter", message: "must be > atRiskEnter" });
  if (!(b.atRiskLeave < b.watchLeave))
    out.push({ path: "/bands/watchLeave", message: "must be > atRiskLeave" });
  if (!(cfg.neutralScore > 0 && cfg.neutralScore < 100))
    out.push({ path: "/neutralScore", message: "must be between 1 and 99" });
  return out;
}

/** Merges a stored (possibly partial, possibly older) settings document over the defaults. */
export function mergeConfig(stored: Partial<HealthConfig> | null | undefined): HealthConfig {
  const s = stored ?? {};
  return {
    weights: { ...DEFAULT_CONFIG.weights, ...(s.weights ?? {}) },
    halfLifeDays: s.halfLifeDays ?? DEFAULT_CONFIG.halfLifeDays,
    neutralScore: s.neutralScore ?? DEFAULT_CONFIG.neutralScore,
    scale: s.scale ?? DEFAULT_CONFIG.scale,
    bands: { ...DEFAULT_CONFIG.bands, ...(s.bands ?? {}) },
    moments: { ...DEFAULT_CONFIG.moments, ...(s.moments ?? {}) },
    plays: { ...DEFAULT_CONFIG.plays, ...(s.plays ?? {}) },
  };
}
