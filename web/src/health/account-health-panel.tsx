import { Button, Group, Menu, Stack, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconChevronDown, IconLifebuoy } from "@tabler/icons-react";
import { lazy, Suspense } from "react";
import { useCurrentUser } from "../auth/session";
import { HealthChip } from "../customers/badges";
import {
  formatWeight,
  KIND_LABELS,
  type TSignalKind,
  useAccountHealth,
  useRecordSignal,
  useStartPlay,
} from "./api";
import classes from "./health.module.css";

const HealthSparkline = lazy(() => import("./health-sparkline"));

const SIGNALS: { kind: TSignalKind; label: string }[] = [
  { kind: "value_touch", label: "Log a value-adding touch" },
  { kind: "downgrade_request", label: "They asked to downgrade" },
  { kind: "discount_request", label: "They asked for a discount" },
  { kind: "price_complaint", label: "They complained about price" },
];

/**
 * The account's health and why: score and band, its trend, the entries that move it most, and
 * the actions an account manager takes from here (log a touch or a churn signal, start a play).
 */
export function AccountHealthPanel({
  accountId,
  titleClassName,
}: {
  accountId: string;
  titleClassName?: string;
}) {
  const user = useCurrentUser();
  const health = useAccountHealth(accountId);
  const signal = useRecordSignal(accountId);
  const play = useStartPlay(accountId);
  const mayRetain = user.role === "admin" || user.role === "manager" || user.role === "sales";
  const h = health.data;

  return (
    <section aria-labelledby="health-title" data-testid="account-health">
      <h2 id="health-title" className={titleClassName}>
        Health
      </h2>
      {h?.band ? (
        <Stack gap={6}>
          <Group gap="sm" justify="space-between">
            <HealthChip health={{ score: h.score, band: h.band }} />
            <Text size="xs" c="dimmed">
              {h.entries} ledger {h.entries === 1 ? "entry" : "entries"}
            </Text>
          </Group>
          {h.trend.length > 1 ? (
            <Suspense fallback={<div style={{ height: 36 }} />}>
              <HealthSparkline
                scores={h.trend.map((p) => p.score)}
                color={h.band === "at_risk" ? "red.7" : h.band === "watch" ? "yellow.7" : "teal.7"}
                label={`Score trend over the last ${h.trend.length} entries: from ${h.trend[0]!.score} to ${h.trend.at(-1)!.score}`}
              />
            </Suspense>
          ) : null}
          <Text size="xs" fw={600} mt={4}>
            Why
          </Text>
          <ul className={classes.why} aria-label="What moves the score most">
            {h.explanation.map((e) => (
              <li key={e.id}>
                <span className={classes.weight} data-sign={e.fadedWeight < 0 ? "neg" : "pos"}>
                  {formatWeight(e.fadedWeight)}
                </span>
                <span>
                  {KIND_LABELS[e.kind] ?? e.kind}
                  {e.multiplier > 1 ? (
                    <Tooltip label="A moment that matters: the first weeks or the first cases weigh more">
                      <span className={classes.moment}> ×{e.multiplier}</span>
                    </Tooltip>
                  ) : null}
                </span>
                <time dateTime={e.at} className={classes.when}>
                  {new Date(e.at).toLocaleDateString(undefined, { day: "numeric", month: "short" })}
                </time>
              </li>
            ))}
          </ul>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {health.isPending
            ? "Loading…"
            : "Not scored yet: nothing has happened with this customer that the ledger counts."}
        </Text>
      )}
      <Group gap={6} mt="sm">
        <Menu position="bottom-start" shadow="md" width={240}>
          <Menu.Target>
            <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} aria-hidden />}>
              Log a touch or signal
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {SIGNALS.map((s) => (
              <Menu.Item
                key={s.kind}
                onClick={() =>
                  signal.mutate(
                    { kind: s.kind },
                    {
                      onSuccess: () =>
                        notifications.show({ message: `${s.label.replace(/^Log a /, "")}: recorded` }),
                    },
                  )
                }
              >
                {s.label}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        {mayRetain ? (
          <Button
            size="xs"
            variant="light"
            color="orange"
            leftSection={<IconLifebuoy size={14} aria-hidden />}
            loading={play.isPending}
            onClick={() =>
              play.mutate(
                {},
                {
                  onSuccess: () =>
                    notifications.show({ message: "Retention play started: tasks created for the owner" }),
                  onError: (err) => notifications.show({ color: "red", message: err.message }),
                },
              )
            }
          >
            Start a play
          </Button>
        ) : null}
      </Group>
    </section>
  );
}
