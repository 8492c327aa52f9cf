import { Group, Loader, SegmentedControl, Text } from "@mantine/core";
import { useMemo, useState } from "react";
import { useStaffUsers } from "../customers/api";
import { useTeams } from "../pages/cases/api";
import classes from "./activities.module.css";
import { type TPromiseReport, usePromiseReport } from "./api";

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

const rate = (value: number | null) => (value === null ? "—" : `${value}%`);

/** Promises made, kept, broken and still open, per agent or team; and who has overdue tasks. */
export function PromiseReportCard() {
  const [days, setDays] = useState<string>("30");
  const [groupBy, setGroupBy] = useState<"owner" | "team">("owner");
  const range = useMemo(() => rangeOf(Number(days)), [days]);
  const report = usePromiseReport(range.from, range.to, groupBy);
  const staff = useStaffUsers();
  const teams = useTeams();
  const nameOf = (row: TPromiseReport["rows"][number]) =>
    groupBy === "owner"
      ? row.ownerId
        ? (staff.byId.get(row.ownerId)?.name ?? "A former colleague")
        : "Nobody"
      : row.teamId
        ? (teams.byId.get(row.teamId)?.name ?? "A deleted team")
        : "No team";
  const rows = [...(report.data?.rows ?? [])].sort(
    (a, b) => b.made - a.made || nameOf(a).localeCompare(nameOf(b)),
  );
  const totals = report.data?.totals;
  const overdue = [...(report.data?.overdueTasks ?? [])].sort((a, b) => b.count - a.count);
  const rangeLabel = RANGES.find((item) => item.value === days)?.label.toLowerCase() ?? "";

  return (
    <section className={classes.card} aria-labelledby="promise-report-title" data-testid="promise-report">
      <Group justify="space-between" align="flex-start" mb="md" gap="md">
        <div>
          <h2 className={classes.cardTitle} id="promise-report-title">
            Promises kept
          </h2>
          <Text size="xs" c="dimmed">
            Promises made to customers in the {rangeLabel}, and how they ended. The kept rate counts those
            that ended kept or broken.
          </Text>
        </div>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            value={groupBy}
            onChange={(value) => setGroupBy(value as "owner" | "team")}
            data={[
              { value: "owner", label: "By agent" },
              { value: "team", label: "By team" },
            ]}
            aria-label="Group by"
          />
          <SegmentedControl
            size="xs"
            value={days}
            onChange={setDays}
            data={RANGES.map((item) => ({ value: item.value, label: item.label }))}
            aria-label="Date range"
          />
        </Group>
      </Group>

      {report.isPending ? (
        <Loader size="sm" aria-label="Loading the promise report" />
      ) : report.isError ? (
        <Text role="alert">The report could not be loaded: {report.error.message}</Text>
      ) : (
        <>
          <div className={classes.tiles}>
            {(
              [
                ["Made", totals?.made],
                ["Kept", totals?.kept],
                ["Broken", totals?.broken],
                ["Still open", totals?.open],
                ["Kept rate", rate(totals?.keptRate ?? null)],
              ] as const
            ).map(([label, value]) => (
              <div key={label} className={classes.tile}>
                <div className={classes.tileLabel}>{label}</div>
                <div className={classes.tileValue}>{value ?? 0}</div>
              </div>
            ))}
          </div>
          {rows.length === 0 ? (
            <Text size="sm" c="dimmed" mt="md">
              No promises were made in this range.
            </Text>
          ) : (
            <div className={classes.tableWrap}>
              <table
                className={classes.table}
                aria-label={`Promises by ${groupBy === "owner" ? "agent" : "team"}`}
              >
                <thead>
                  <tr>
                    <th scope="col">{groupBy === "owner" ? "Agent" : "Team"}</th>
                    <th scope="col" className={classes.num}>
                      Made
                    </th>
                    <th scope="col" className={classes.num}>
                      Kept
                    </th>
                    <th scope="col" className={classes.num}>
                      Broken
                    </th>
                    <th scope="col" className={classes.num}>
                      Open
                    </th>
                    <th scope="col" className={classes.num}>
                      Cancelled
                    </th>
                    <th scope="col" className={classes.num}>
                      Kept rate
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={`${row.ownerId}-${row.teamId}`}>
                      <td>{nameOf(row)}</td>
                      <td className={classes.num}>{row.made}</td>
                      <td className={classes.num}>{row.kept}</td>
                      <td className={classes.num}>{row.broken}</td>
                      <td className={classes.num}>{row.open}</td>
                      <td className={classes.num}>{row.cancelled}</td>
                      <td
                        className={classes.num}
                        data-low={row.keptRate !== null && row.keptRate < 90 ? "" : undefined}
                      >
                        {rate(row.keptRate)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3 className={classes.dayHeading}>Overdue tasks now</h3>
          {overdue.length === 0 ? (
            <Text size="sm" c="dimmed">
              No task is overdue.
            </Text>
          ) : (
            <Text size="sm" component="div">
              <ul className={classes.list}>
                {overdue.map((row) => (
                  <li key={row.ownerId ?? "none"} className={classes.overdueLine}>
                    <span>
                      {row.ownerId ? (staff.byId.get(row.ownerId)?.name ?? "A former colleague") : "Nobody"}
                    </span>
                    <strong className={classes.count}>{row.count}</strong>
                  </li>
                ))}
              </ul>
            </Text>
          )}
        </>
      )}
    </section>
  );
}
