import { Tooltip } from "@mantine/core";
import { IconKey } from "@tabler/icons-react";
import { useLiveStatus } from "../live/live-updates";
import type { TAccount } from "./api";
import classes from "./badges.module.css";
import { healthBandLabel } from "./format";

/** "Key": the account is among those that bring the top 80% of revenue. Nothing for standard. */
export function KeyBadge({ size = "sm" }: { size?: "sm" | "md" }) {
  return (
    <Tooltip label="Key account: among those that bring the top 80% of revenue">
      <span className={classes.key} data-size={size} data-testid="key-badge">
        <IconKey size={size === "md" ? 13 : 11} stroke={2.2} aria-hidden />
        Key
      </span>
    </Tooltip>
  );
}

/** The tier, spelled out both ways (the account screen). */
export function TierBadge({ tier }: { tier: TAccount["tier"] }) {
  if (tier === "key") return <KeyBadge size="md" />;
  return (
    <Tooltip label="Standard: outside the accounts that bring the top 80% of revenue">
      <span className={classes.standard} data-testid="standard-badge">
        Standard
      </span>
    </Tooltip>
  );
}

/**
 * Health band and score; "Not scored" until the health capability has scored the account.
 * `quiet` (in tables) leaves an unscored account as plain grey text, so fifty rows of "not yet"
 * do not shout.
 */
export function HealthChip({ health, quiet = false }: { health: TAccount["health"]; quiet?: boolean }) {
  const band = health.band;
  const label = band ? healthBandLabel[band] : "Not scored";
  return (
    <span
      className={classes.chip}
      data-band={band ?? "none"}
      data-quiet={quiet || undefined}
      data-testid="health-chip"
    >
      <span className={classes.dot} aria-hidden />
      <span>{label}</span>
      {band && health.score !== null ? (
        <span className={classes.score}>
          <span aria-hidden>·</span> {health.score}
        </span>
      ) : null}
    </span>
  );
}

const liveText = {
  live: "Live",
  connecting: "Connecting…",
  offline: "Reconnecting…",
} as const;

/** A quiet sign that what is on screen updates by itself (and when it temporarily does not). */
export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <Tooltip
      label={
        status === "live"
          ? "Changes made by others appear here as they happen"
          : "Live updates are reconnecting; what you see may be a little behind"
      }
    >
      <span className={classes.live} data-status={status} data-testid="live-status">
        <span className={classes.liveDot} aria-hidden />
        {liveText[status]}
      </span>
    </Tooltip>
  );
}
