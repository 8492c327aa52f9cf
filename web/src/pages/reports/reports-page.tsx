import { Group, Loader, SegmentedControl, Skeleton, Text } from "@mantine/core";
import { lazy, Suspense, useMemo, useState } from "react";
import { PromiseReportCard } from "../../activities/promise-report-card";
import { areaByKey } from "../../app/areas";
import { Page } from "../../components/page";
import { type TComplianceRow, useSlaCompliance } from "../../sla/api";
import { formatTarget, KPIS, kpiLabel, type TKpi } from "../../sla/sla-format";
import { type TPriority, useTeams } from "../cases/api";
import { PRIORITIES, priorityLabel } from "../cases/case-format";
import { SatisfactionCard } from "../surveys/satisfaction-card";
import classes from "./reports.module.css";

const ComplianceChart = lazy(() => import("./compliance-chart"));

const RANGES = [
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" },
] as const;

const DAY = 86_400_000;

/** The range ends at the start of the next minute, so a re-render does not refetch. */
function rangeOf(days: number): { from: string; to: string } {
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

export function ReportsPage() {
  const area = areaByKey("reports");
  return (
    <Page title={area.title ?? area.label} icon={area.icon}>
      <SlaComplianceCard />
      <PromiseReportCard />
      <SatisfactionCard />
    </Page>
  );
}

const percent = (row: Pick<TComplianceRow, "total" | "compliancePercent">) =>
  row.total > 0 ? `${Math.round(row.compliancePercent * 10) / 10}%` : "—";

const minutes = (value: number | null) => (value === null ? "—" : formatTarget(Math.round(value)));

/** SLA compliance: met against breached per KPI, and by team and priority. */
function SlaComplianceCard() {
  const [days, setDays] = useState<string>("30");
  const range = useMemo(() => rangeOf(Number(days)), [days]);
  const byKpi = useSlaCompliance(range.from, range.to, "kpi");
  const byTeam = useSlaCompliance(range.from, range.to, "kpi,team,priority");
  const teams = useTeams();
  const [tableKpi, setTableKpi] = useState<TKpi>("firstResponse");

  const chart = KPIS.map((kpi) => {
    const row = byKpi.data?.rows.find((item) => item.kpi === kpi);
    return { kpi: kpiLabel[kpi], Met: row?.met ?? 0, Breached: row?.breached ?? 0 };
  }).filter((row, index) => row.Met + row.Breached > 0 || KPIS[index] !== "nextResponse");

  const rows = (byTeam.data?.rows ?? [])
    .filter((row) => row.kpi === tableKpi)
    .sort((a, b) => {
      const team = (id: string | null) => (id ? (teams.byId.get(id)?.name ?? "") : "\uffff");
      return (
        team(a.teamId).localeCompare(team(b.teamId)) ||
        PRIORITIES.indexOf(a.priority as TPriority) - PRIORITIES.indexOf(b.priority as TPriority)
      );
    });
  const totals = byKpi.data?.rows ?? [];
  const rangeLabel = RANGES.find((item) => item.value === days)?.label.toLowerCase() ?? "";

  return (
    <section className={classes.card} aria-labelledby="sla-compliance-title" data-testid="sla-compliance">
      <Group justify="space-between" align="flex-start" mb="md" gap="md">
        <div>
          <h2 className={classes.cardTitle} id="sla-compliance-title">
            SLA compliance
          </h2>
          <Text size="xs" c="dimmed">
            Clocks that finished in the {rangeLabel}: met in time, or breached (a target met late counts as
            breached). Times are business time.
          </Text>
        </div>
        <SegmentedControl
          size="xs"
          value={days}
          onChange={setDays}
          data={RANGES.map((item) => ({ value: item.value, label: item.label }))}
          aria-label="Date range"
        />
      </Group>

      {byKpi.isPending ? (
        <Loader size="sm" aria-label="Loading SLA compliance" />
      ) : byKpi.isError ? (
        <Text role="alert">The report could not be loaded: {byKpi.error.message}</Text>
      ) : (
        <>
          <div className={classes.kpis}>
            {KPIS.map((kpi: TKpi) => {
              const row = totals.find((item) => item.kpi === kpi);
              if (!row && kpi === "nextResponse") return null;
              return (
                <div key={kpi} className={classes.kpi}>
                  <div className={classes.kpiLabel}>{kpiLabel[kpi]}</div>
                  <div className={classes.kpiValue}>{row ? percent(row) : "—"}</div>
                  <div className={classes.kpiMeta}>
                    {row
                      ? `${row.met} met of ${row.total} · median ${minutes(row.medianBusinessMinutes)}`
                      : "No clocks finished"}
                  </div>
                </div>
              );
            })}
          </div>
          {chart.some((row) => row.Met + row.Breached > 0) ? (
            <Suspense fallback={<Skeleton h={220} mt="md" radius="md" />}>
              <ComplianceChart data={chart} />
            </Suspense>
          ) : (
            <Text size="sm" c="dimmed" mt="md">
              No SLA clock finished in this range.
            </Text>
          )}
        </>
      )}

      <Group justify="space-between" align="flex-end" mt="xl" mb="xs">
        <h3 className={classes.subTitle}>By team and priority</h3>
        <SegmentedControl
          size="xs"
          value={tableKpi}
          onChange={(value) => setTableKpi(value as TKpi)}
          data={KPIS.map((kpi) => ({ value: kpi, label: kpiLabel[kpi] }))}
          aria-label="SLA target shown in the table"
        />
      </Group>
      {byTeam.isPending ? (
        <Loader size="xs" aria-label="Loading the table" />
      ) : byTeam.isError ? (
        <Text role="alert">The table could not be loaded: {byTeam.error.message}</Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing to show for this range.
        </Text>
      ) : (
        <div className={classes.tableWrap}>
          <table
            className={classes.table}
            aria-label={`${kpiLabel[tableKpi]} compliance by team and priority`}
          >
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Priority</th>
                <th scope="col" className={classes.num}>
                  Clocks
                </th>
                <th scope="col" className={classes.num}>
                  Met
                </th>
                <th scope="col" className={classes.num}>
                  Breached
                </th>
                <th scope="col" className={classes.num}>
                  Compliance
                </th>
                <th scope="col" className={classes.num}>
                  Median
                </th>
                <th scope="col" className={classes.num}>
                  90th percentile
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.teamId}-${row.priority}`}>
                  <td>{row.teamId ? (teams.byId.get(row.teamId)?.name ?? "A deleted team") : "No team"}</td>
                  <td>{row.priority ? (priorityLabel[row.priority as TPriority] ?? row.priority) : "—"}</td>
                  <td className={classes.num}>{row.total}</td>
                  <td className={classes.num}>{row.met}</td>
                  <td className={classes.num}>{row.breached}</td>
                  <td
                    className={classes.num}
                    data-low={row.total > 0 && row.compliancePercent < 90 ? "" : undefined}
                  >
                    {percent(row)}
                  </td>
                  <td className={classes.num}>{minutes(row.medianBusinessMinutes)}</td>
                  <td className={classes.num}>{minutes(row.p90BusinessMinutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
