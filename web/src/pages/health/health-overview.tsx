import "@mantine/charts/styles.css";
import { BarChart, DonutChart } from "@mantine/charts";
import { Table, Text, Title } from "@mantine/core";
import { Link } from "react-router-dom";
import { KeyBadge } from "../../customers/badges";
import { formatMoney, GROUP_LABELS, useDashboard } from "../../health/api";
import classes from "../../health/health.module.css";

const BAND_LABEL: Record<string, string> = {
  healthy: "Healthy",
  watch: "Watch",
  at_risk: "At risk",
  unscored: "Not scored",
};
const BAND_COLOR: Record<string, string> = {
  healthy: "teal.7",
  watch: "yellow.6",
  at_risk: "red.7",
  unscored: "gray.5",
};

/** Health distribution, revenue at risk, accounts moved to at risk this week, churn by reason group. */
export default function HealthOverview() {
  const dash = useDashboard();
  if (!dash.data) return <Text c="dimmed">{dash.error?.message ?? "Loading…"}</Text>;
  const d = dash.data;
  const total = d.bands.reduce((s, b) => s + b.accounts, 0);
  return (
    <div data-testid="health-overview">
      <div className={classes.tiles}>
        {d.bands.map((b) => (
          <div key={b.band} className={classes.tile}>
            <Text size="sm" c="dimmed">
              {BAND_LABEL[b.band]}
            </Text>
            <div className={classes.tileValue}>{b.accounts}</div>
            <Text size="xs" c="dimmed">
              {b.keyAccounts} key · {formatMoney(b.revenue)}
            </Text>
          </div>
        ))}
        <div className={classes.tile}>
          <Text size="sm" c="dimmed">
            Revenue at risk
          </Text>
          <div className={classes.tileValue} style={{ color: "var(--mantine-color-red-8)" }}>
            {formatMoney(d.revenueAtRisk)}
          </div>
          <Text size="xs" c="dimmed">
            {formatMoney(d.revenueOnWatch)} more on watch
          </Text>
        </div>
      </div>
      <div className={classes.charts} style={{ marginTop: 24 }}>
        <section aria-labelledby="dist-title">
          <Title order={3} size="h5" id="dist-title">
            Health distribution ({total} accounts)
          </Title>
          <DonutChart
            mt="sm"
            size={180}
            thickness={28}
            withLabelsLine
            withLabels
            data={d.bands
              .filter((b) => b.accounts > 0)
              .map((b) => ({ name: BAND_LABEL[b.band]!, value: b.accounts, color: BAND_COLOR[b.band]! }))}
            chartLabel={`${total}`}
            aria-label={d.bands.map((b) => `${BAND_LABEL[b.band]}: ${b.accounts}`).join(", ")}
          />
        </section>
        <section aria-labelledby="churn-title">
          <Title order={3} size="h5" id="churn-title">
            Churn by reason, last 12 months ({d.churnTotal} accounts)
          </Title>
          <BarChart
            h={220}
            mt="sm"
            data={d.churnByGroup.map((g) => ({ group: GROUP_LABELS[g.group]!, Accounts: g.count }))}
            dataKey="group"
            series={[{ name: "Accounts", color: "red.7" }]}
            yAxisProps={{ allowDecimals: false }}
            withBarValueLabel
            aria-label={d.churnByGroup
              .map((g) => `${GROUP_LABELS[g.group]}: ${g.count} (${g.percent}%)`)
              .join(", ")}
          />
        </section>
      </div>
      <section aria-labelledby="moved-title" style={{ marginTop: 24 }}>
        <Title order={3} size="h5" id="moved-title">
          Moved to at risk this week ({d.movedToAtRisk.length})
        </Title>
        {d.movedToAtRisk.length === 0 ? (
          <Text size="sm" c="dimmed">
            No account moved to at risk in the last 7 days.
          </Text>
        ) : (
          <Table mt="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>Score</Table.Th>
                <Table.Th>Revenue</Table.Th>
                <Table.Th>Since</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.movedToAtRisk.map((m) => (
                <Table.Tr key={m.accountId}>
                  <Table.Td>
                    <Link to={`/accounts/${m.accountId}`}>{m.name}</Link>{" "}
                    {m.tier === "key" ? <KeyBadge /> : null}
                  </Table.Td>
                  <Table.Td>{m.score}</Table.Td>
                  <Table.Td>{formatMoney(m.annualRevenue)}</Table.Td>
                  <Table.Td>{new Date(m.since).toLocaleDateString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
    </div>
  );
}
