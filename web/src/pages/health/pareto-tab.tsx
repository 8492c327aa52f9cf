import "@mantine/charts/styles.css";
import { AreaChart } from "@mantine/charts";
import { Table, Text, Title } from "@mantine/core";
import { Link } from "react-router-dom";
import { HealthChip } from "../../customers/badges";
import { formatMoney, usePareto } from "../../health/api";
import classes from "../../health/health.module.css";

/** The revenue concentration curve, and the key accounts (top 80% of revenue) with their health. */
export default function ParetoTab() {
  const pareto = usePareto();
  if (!pareto.data) return <Text c="dimmed">{pareto.error?.message ?? "Loading…"}</Text>;
  const p = pareto.data;
  const keyShare = p.accounts === 0 ? 0 : Math.round((1000 * p.keyAccounts) / p.accounts) / 10;
  return (
    <div data-testid="pareto-tab">
      <div className={classes.tiles}>
        <div className={classes.tile}>
          <Text size="sm" c="dimmed">
            Key accounts
          </Text>
          <div className={classes.tileValue}>
            {p.keyAccounts}{" "}
            <Text span size="sm" c="dimmed">
              of {p.accounts} ({keyShare}%)
            </Text>
          </div>
          <Text size="xs" c="dimmed">
            bring {p.keyRevenuePercent}% of {formatMoney(p.totalRevenue)}
          </Text>
        </div>
      </div>
      <Title order={3} size="h5" mt="lg">
        Revenue concentration
      </Title>
      <AreaChart
        h={260}
        mt="sm"
        data={p.curve.map((c) => ({
          accounts: `${c.accountsPercent}%`,
          "Share of revenue": c.revenuePercent,
        }))}
        dataKey="accounts"
        series={[{ name: "Share of revenue", color: "indigo.6" }]}
        yAxisProps={{ domain: [0, 100] }}
        unit="%"
        curveType="monotone"
        withDots={false}
        referenceLines={[{ y: 80, label: "80% of revenue", color: "red.6" }]}
        aria-label={`Revenue concentration: ${keyShare}% of accounts bring ${p.keyRevenuePercent}% of revenue`}
      />
      <Title order={3} size="h5" mt="lg">
        Key accounts and their health
      </Title>
      <Table mt="xs" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Account</Table.Th>
            <Table.Th>Revenue</Table.Th>
            <Table.Th>Health</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {p.key.map((k) => (
            <Table.Tr key={k.accountId}>
              <Table.Td>
                <Link to={`/accounts/${k.accountId}`}>{k.name}</Link>
              </Table.Td>
              <Table.Td>{formatMoney(k.annualRevenue)}</Table.Td>
              <Table.Td>
                <HealthChip health={k.health} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
