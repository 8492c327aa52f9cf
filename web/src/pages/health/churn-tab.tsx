import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { Badge, Button, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router-dom";
import { useCurrentUser } from "../../auth/session";
import {
  formatMoney,
  GROUP_LABELS,
  KIND_LABELS,
  REASON_LABELS,
  useChurnList,
  useChurnReport,
  useWonBack,
} from "../../health/api";
import classes from "../../health/health.module.css";

/** Churn by reason group and revenue (the business's own 68/14/9), and the lost accounts. */
export default function ChurnTab() {
  const user = useCurrentUser();
  const report = useChurnReport();
  const list = useChurnList();
  const wonBack = useWonBack();
  const mayEdit = user.role === "admin" || user.role === "manager" || user.role === "sales";
  const r = report.data;
  return (
    <div data-testid="churn-tab">
      {r ? (
        <>
          <Text size="sm" c="dimmed">
            {r.total} accounts lost between {r.from} and {r.to}, {formatMoney(r.revenueLost)} of revenue.
          </Text>
          <div className={classes.charts} style={{ marginTop: 12 }}>
            <section aria-labelledby="churn-share">
              <Title order={3} size="h5" id="churn-share">
                Share of lost accounts and revenue by reason group
              </Title>
              <BarChart
                h={240}
                mt="sm"
                data={r.groups.map((g) => ({
                  group: GROUP_LABELS[g.group]!,
                  Accounts: g.percent,
                  Revenue: g.revenuePercent,
                }))}
                dataKey="group"
                unit="%"
                series={[
                  { name: "Accounts", color: "red.7" },
                  { name: "Revenue", color: "orange.5" },
                ]}
                withLegend
                aria-label={r.groups
                  .map(
                    (g) =>
                      `${GROUP_LABELS[g.group]}: ${g.percent}% of accounts, ${g.revenuePercent}% of revenue`,
                  )
                  .join("; ")}
              />
            </section>
            <section aria-labelledby="churn-reasons">
              <Title order={3} size="h5" id="churn-reasons">
                By reason
              </Title>
              <Table mt="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Reason</Table.Th>
                    <Table.Th>Accounts</Table.Th>
                    <Table.Th>Revenue lost</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.reasons.map((x) => (
                    <Table.Tr key={x.reason}>
                      <Table.Td>{REASON_LABELS[x.reason]}</Table.Td>
                      <Table.Td>
                        {x.count} ({x.percent}%)
                      </Table.Td>
                      <Table.Td>{formatMoney(x.revenueLost)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </section>
          </div>
        </>
      ) : null}
      <Title order={3} size="h5" mt="lg">
        Lost accounts
      </Title>
      {list.data && list.data.items.length > 0 ? (
        <Table mt="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Lost on</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Revenue</Table.Th>
              <Table.Th>Last debits</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Link to={`/accounts/${c.accountId}`}>{c.accountName}</Link>
                </Table.Td>
                <Table.Td>{c.lostOn}</Table.Td>
                <Table.Td>{REASON_LABELS[c.reason]}</Table.Td>
                <Table.Td>{formatMoney(c.revenueLost)}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {c.debits.map((d) => KIND_LABELS[d.kind] ?? d.kind).join(", ") || "—"}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {c.wonBackAt ? (
                    <Badge color="teal" variant="light">
                      Won back
                    </Badge>
                  ) : mayEdit ? (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Won back: ${c.accountName}`}
                      onClick={() => wonBack.mutate(c.id)}
                    >
                      Won back
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          No lost accounts recorded.
        </Text>
      )}
    </div>
  );
}
