import { Badge, Button, Group, Menu, SegmentedControl, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useCurrentUser } from "../../auth/session";
import { HealthChip, KeyBadge } from "../../customers/badges";
import { formatMoney, PLAY_REASON_LABELS, useEndPlay, usePlayReport, usePlays } from "../../health/api";
import classes from "../../health/health.module.css";

const OUTCOMES = [
  { value: "recovered", label: "Recovered" },
  { value: "lost", label: "Lost" },
  { value: "no_longer_needed", label: "No longer needed" },
] as const;

/** Retention plays, key accounts first; each ends with an outcome; the outcome report above. */
export default function PlaysTab() {
  const user = useCurrentUser();
  const [status, setStatus] = useState<"open" | "ended">("open");
  const plays = usePlays(status);
  const report = usePlayReport();
  const end = useEndPlay();
  const mayEnd = user.role === "admin" || user.role === "manager" || user.role === "sales";
  const r = report.data;
  return (
    <div data-testid="plays-tab">
      {r ? (
        <div className={classes.tiles} style={{ marginBottom: 16 }}>
          {(
            [
              ["Started (90 days)", r.totals.started],
              ["Open", r.totals.open],
              ["Recovered", r.totals.recovered],
              ["Lost", r.totals.lost],
              ["No longer needed", r.totals.no_longer_needed],
            ] as const
          ).map(([label, n]) => (
            <div key={label} className={classes.tile}>
              <Text size="sm" c="dimmed">
                {label}
              </Text>
              <div className={classes.tileValue}>{n}</div>
            </div>
          ))}
          <div className={classes.tile}>
            <Text size="sm" c="dimmed">
              Recovered of ended
            </Text>
            <div className={classes.tileValue}>{r.recoveredRate === null ? "—" : `${r.recoveredRate}%`}</div>
          </div>
        </div>
      ) : null}
      <SegmentedControl
        value={status}
        onChange={(v) => setStatus(v as "open" | "ended")}
        data={[
          { value: "open", label: "Open" },
          { value: "ended", label: "Ended" },
        ]}
        aria-label="Which plays"
        mb="sm"
      />
      {!plays.data ? (
        <Text c="dimmed">Loading…</Text>
      ) : plays.data.items.length === 0 ? (
        <Text c="dimmed">No {status} plays.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Why</Table.Th>
              <Table.Th>Health</Table.Th>
              <Table.Th>Revenue</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>{status === "open" ? "" : "Outcome"}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plays.data.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Link to={`/accounts/${p.accountId}?tab=brief`}>{p.accountName}</Link>
                    {p.keyAccount ? <KeyBadge /> : null}
                  </Group>
                </Table.Td>
                <Table.Td>{PLAY_REASON_LABELS[p.reason] ?? p.reason}</Table.Td>
                <Table.Td>
                  <HealthChip health={p.health} />
                </Table.Td>
                <Table.Td>{formatMoney(p.annualRevenue)}</Table.Td>
                <Table.Td>{new Date(p.startedAt).toLocaleDateString()}</Table.Td>
                <Table.Td>
                  {p.status === "ended" ? (
                    <Badge
                      variant="light"
                      color={p.outcome === "recovered" ? "teal" : p.outcome === "lost" ? "red" : "gray"}
                    >
                      {OUTCOMES.find((o) => o.value === p.outcome)?.label}
                    </Badge>
                  ) : mayEnd ? (
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <Button size="xs" variant="default" aria-label={`End the play for ${p.accountName}`}>
                          End…
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {OUTCOMES.map((o) => (
                          <Menu.Item key={o.value} onClick={() => end.mutate({ id: p.id, outcome: o.value })}>
                            {o.label}
                          </Menu.Item>
                        ))}
                      </Menu.Dropdown>
                    </Menu>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}
