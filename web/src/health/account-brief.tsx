import { Badge, Group, Text } from "@mantine/core";
import { Link } from "react-router-dom";
import {
  formatMoney,
  KIND_LABELS,
  PLAY_REASON_LABELS,
  STAGE_LABELS,
  useAccountOpportunities,
  useBrief,
} from "./api";
import classes from "./health.module.css";

const SLA_COLOR: Record<string, string> = {
  breached: "red",
  warning: "yellow",
  running: "teal",
  paused: "gray",
  met: "gray",
};
const when = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString(undefined, {
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      })
    : "—";

/**
 * The account brief: what a salesperson reads before calling — open cases with their SLA state,
 * promises due or broken, latest survey answers, health and its trend, escalations, open plays,
 * and the account's opportunities.
 */
export function AccountBrief({ accountId }: { accountId: string }) {
  const brief = useBrief(accountId);
  const opps = useAccountOpportunities(accountId);
  if (brief.isPending) return <Text c="dimmed">Loading the brief…</Text>;
  if (!brief.data) return <Text c="red">{brief.error?.message ?? "The brief couldn't be loaded"}</Text>;
  const b = brief.data;
  const change = b.health.change30d;
  return (
    <div className={classes.brief} data-testid="account-brief">
      <section className={classes.card} aria-labelledby="brief-health">
        <h3 id="brief-health">Health</h3>
        <Text size="sm">
          {b.health.score === null
            ? "Not scored yet"
            : `Score ${b.health.score} (${(b.health.band ?? "").replace("_", " ")})`}
          {change !== null && change !== 0
            ? ` · ${change > 0 ? "up" : "down"} ${Math.abs(change)} in 30 days`
            : ""}
        </Text>
        {b.health.explanation.length > 0 ? (
          <Text size="xs" c="dimmed" mt={4}>
            Mostly: {b.health.explanation.map((e) => KIND_LABELS[e.kind] ?? e.kind).join(", ")}
          </Text>
        ) : null}
        {b.lost ? (
          <Badge color="red" mt={6}>
            Lost on {b.lost.lostOn}
          </Badge>
        ) : null}
        {b.openPlays.length > 0 ? (
          <Text size="xs" mt={6} c="orange.8">
            Open play: {b.openPlays.map((p) => PLAY_REASON_LABELS[p.reason] ?? p.reason).join(", ")}
          </Text>
        ) : null}
      </section>

      <section className={classes.card} aria-labelledby="brief-cases">
        <h3 id="brief-cases">
          Open cases ({b.openCases.length}
          {b.openCasesMore ? "+" : ""})
        </h3>
        {b.openCases.length === 0 ? (
          <Text size="sm" c="dimmed">
            No open problems.
          </Text>
        ) : (
          <ul className={classes.rows}>
            {b.openCases.slice(0, 8).map((c) => (
              <li key={c.id}>
                <Group gap={6} wrap="nowrap">
                  {c.slaState ? (
                    <Badge size="xs" variant="light" color={SLA_COLOR[c.slaState] ?? "gray"}>
                      {c.slaState}
                    </Badge>
                  ) : null}
                  <Link to={`/cases/${c.id}`}>
                    {c.number} {c.subject}
                  </Link>
                </Group>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={classes.card} aria-labelledby="brief-promises">
        <h3 id="brief-promises">Promises</h3>
        {b.promises.due.length + b.promises.broken.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing promised or broken.
          </Text>
        ) : (
          <ul className={classes.rows}>
            {b.promises.broken.map((p) => (
              <li key={p.id}>
                <Badge size="xs" color="red" variant="light">
                  broken
                </Badge>{" "}
                {p.subject} · was due {when(p.dueAt)}
              </li>
            ))}
            {b.promises.due.map((p) => (
              <li key={p.id}>
                <Badge size="xs" color={p.overdue ? "red" : "blue"} variant="light">
                  {p.overdue ? "overdue" : "due"}
                </Badge>{" "}
                {p.subject} · {when(p.dueAt)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={classes.card} aria-labelledby="brief-voice">
        <h3 id="brief-voice">Surveys and escalations</h3>
        {b.surveys.length + b.escalations.length === 0 ? (
          <Text size="sm" c="dimmed">
            No survey answers or escalations recorded.
          </Text>
        ) : (
          <ul className={classes.rows}>
            {b.surveys.map((s) => (
              <li key={`${s.type}${s.answeredAt}`}>
                {s.type.toUpperCase()} {s.score}
                {s.comment ? ` — “${s.comment}”` : ""} · {when(s.answeredAt)}
              </li>
            ))}
            {b.escalations.map((e) => (
              <li key={`${e.caseId}${e.at}`}>
                <Badge size="xs" color="orange" variant="light">
                  escalated
                </Badge>{" "}
                <Link to={`/cases/${e.caseId}`}>{e.reason ?? "to a manager"}</Link> · {when(e.at)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={classes.card} aria-labelledby="brief-opps">
        <h3 id="brief-opps">Opportunities</h3>
        {!opps.data || opps.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            None open. <Link to="/pipeline">Pipeline</Link>
          </Text>
        ) : (
          <ul className={classes.rows}>
            {opps.data.items.map((o) => (
              <li key={o.id}>
                {o.name} · {formatMoney(o.amount)} · {STAGE_LABELS[o.stage]}
                {o.closeDate ? ` · closes ${o.closeDate}` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
