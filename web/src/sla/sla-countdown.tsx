import { IconAlertTriangle, IconCircleCheck, IconClock, IconPlayerPause } from "@tabler/icons-react";
import { useNow } from "../pages/cases/use-now";
import classes from "./sla.module.css";
import {
  countdownText,
  describeState,
  formatDue,
  kpiLabel,
  shortDuration,
  slaState,
  stateTone,
  type TSlaClock,
  type TSlaState,
} from "./sla-format";

type TProps = {
  clocks: readonly TSlaClock[] | undefined;
  /** sm: queue rows · md: the case header. */
  size?: "sm" | "md";
  /** Name the clock ("First response 1h 12m"), for places without a column header. */
  withKpi?: boolean;
  /** "−25m overdue", "Paused · 3h left" instead of the bare signed time. */
  long?: boolean;
  /** The due time on hover as a light CSS tooltip (`data-tip`, in tables), or a `title`. */
  tip?: "data" | "title" | "none";
};

/**
 * The soonest owed SLA clock as a live countdown: "1h 12m" green, amber from half the time
 * (or the policy's warning point), red under a quarter and negative once overdue, grey when
 * paused, a check when every target was met. Ticks with the app's shared 30-second clock.
 */
export function SlaCountdown(props: TProps) {
  const now = useNow();
  return <SlaCountdownAt {...props} now={now} />;
}

/** The same, for a list that already holds `now` (one clock for fifty rows). */
export function SlaCountdownAt({
  clocks,
  now,
  size = "sm",
  withKpi = false,
  long = false,
  tip = "title",
}: TProps & { now: number }) {
  const state = slaState(clocks, now);
  const tone = stateTone(state);
  const label = describeState(state);
  const hint = tipText(state, label);
  return (
    <span
      className={classes.countdown}
      data-tone={tone}
      data-size={size}
      role="timer"
      aria-label={label}
      data-testid="sla-countdown"
      {...(tip === "data" ? { "data-tip": hint } : tip === "title" ? { title: hint } : {})}
    >
      <Visible state={state} withKpi={withKpi} long={long} size={size} />
    </span>
  );
}

function Visible({
  state,
  withKpi,
  long,
  size,
}: {
  state: TSlaState;
  withKpi: boolean;
  long: boolean;
  size: "sm" | "md";
}) {
  const icon = size === "md" ? 14 : 12;
  switch (state.kind) {
    case "none":
      return <span aria-hidden>—</span>;
    case "met":
      return (
        <>
          <IconCircleCheck size={icon + 1} stroke={2} aria-hidden />
          <span aria-hidden>Met</span>
        </>
      );
    case "paused": {
      const left = state.clock.remainingMinutes;
      return (
        <>
          <IconPlayerPause size={icon} stroke={2.2} aria-hidden />
          <span aria-hidden>
            {withKpi ? <span className={classes.kpi}>{kpiLabel[state.clock.kpi]} </span> : null}
            Paused
            {long && left !== null && left > 0 ? ` · ${shortDuration(left)} left` : ""}
          </span>
        </>
      );
    }
    case "due": {
      const overdue = state.msLeft <= 0;
      const Icon = overdue || state.clock.status === "breached" ? IconAlertTriangle : IconClock;
      return (
        <>
          <Icon size={icon} stroke={2.2} aria-hidden />
          <span aria-hidden>
            {withKpi ? <span className={classes.kpi}>{kpiLabel[state.clock.kpi]} </span> : null}
            {countdownText(state.msLeft)}
            {long && overdue ? " overdue" : ""}
          </span>
        </>
      );
    }
  }
}

function tipText(state: TSlaState, label: string): string {
  if (state.kind === "due") return `${label} · due ${formatDue(state.clock.dueAt)}`;
  if (state.kind === "none") return "No SLA policy applies to this case";
  return label;
}
