import { Alert, Button, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";
import { usePageTitle } from "../components/use-page-title";
import classes from "./portal.module.css";
import { formatWhen, usePortalCases, usePortalIncidents, usePortalMe } from "./portal-api";
import { PortalPreferences } from "./portal-preferences";
import { StatusBadge } from "./status-badge";

/** Home: the account's cases (open first by default), and the way to raise a new one. */
export function PortalHomePage() {
  usePageTitle("Your requests");
  const me = usePortalMe();
  const [state, setState] = useState<"open" | "resolved" | "all">("open");
  const cases = usePortalCases(state);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} fz={24}>
            Your requests
          </Title>
          {me.data ? (
            <Text c="dimmed" fz={14}>
              Everything {me.data.account.name} has asked us
            </Text>
          ) : null}
        </div>
        <Button component={Link} to="/portal/new" size="md">
          Ask for help
        </Button>
      </Group>
      <KnownProblems />
      <SegmentedControl
        aria-label="Which requests"
        value={state}
        onChange={(v) => setState(v as typeof state)}
        data={[
          { value: "open", label: "Open" },
          { value: "resolved", label: "Resolved" },
          { value: "all", label: "All" },
        ]}
        fullWidth
      />
      {cases.isError ? (
        <Alert color="red" role="alert">
          {cases.error.message}
        </Alert>
      ) : null}
      {cases.data && cases.data.items.length === 0 ? (
        <div className={classes.card}>
          <Text>
            {state === "open" ? "No open requests. " : "Nothing here yet. "}
            <Link to="/portal/new">Ask for help</Link> and we will get back to you.
          </Text>
        </div>
      ) : null}
      <ul className={classes.caseList} aria-busy={cases.isPending} data-testid="portal-cases">
        {cases.data?.items.map((c) => (
          <li key={c.id}>
            <Link to={`/portal/cases/${c.id}`} className={`${classes.card} ${classes.caseLink}`}>
              <Group justify="space-between" gap={8} wrap="nowrap" align="flex-start">
                <span className={classes.caseSubject}>{c.subject}</span>
                <StatusBadge c={c} />
              </Group>
              <div className={classes.meta}>
                {c.number} ·{" "}
                {c.contactName === "You" ? "raised by you" : `raised by ${c.contactName ?? "your team"}`} ·
                updated {formatWhen(c.updatedAt)}
              </div>
              {c.expectedReplyBy ? (
                <div className={classes.meta}>We aim to answer by {formatWhen(c.expectedReplyBy)}</div>
              ) : null}
              {c.escalated ? <div className={classes.meta}>A manager is looking at this</div> : null}
            </Link>
          </li>
        ))}
      </ul>
      <PortalPreferences />
    </Stack>
  );
}

/** "Known problem: …": open incidents affecting this customer, so they need not ask. */
function KnownProblems() {
  const incidents = usePortalIncidents();
  const items = incidents.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle size={18} aria-hidden />}
      data-testid="portal-incidents"
    >
      <Stack gap={8}>
        {items.map((incident) => (
          <Text key={incident.id} fz={14} lh={1.5}>
            <strong>Known problem: {incident.title}</strong>
            {incident.lastUpdate ? ` — ${incident.lastUpdate.message}` : ""}
            <Text span c="dimmed" fz={12} display="block" mt={2}>
              We will keep you posted ·{" "}
              {incident.lastUpdate
                ? `updated ${formatWhen(incident.lastUpdate.createdAt)}`
                : `since ${formatWhen(incident.startedAt)}`}
            </Text>
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
