import { Badge, Group, Loader, SegmentedControl, Skeleton, Text } from "@mantine/core";
import { lazy, Suspense, useMemo, useState } from "react";
import {
  formatFigure,
  formatInterval,
  type TFigure,
  type TGroupBy,
  TYPE_LABEL,
  useSatisfaction,
} from "../../surveys/api";
import classes from "../reports/reports.module.css";

const SatisfactionChart = lazy(() => import("./satisfaction-chart"));

const RANGES = [
  { value: "12", label: "12 weeks" },
  { value: "26", label: "26 weeks" },
  { value: "52", label: "52 weeks" },
] as const;
const WEEK = 7 * 86_400_000;
const TYPES = ["csat", "nps", "ces"] as const;

function rangeOf(weeks: number): { from: string; to: string } {
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  return { from: new Date(to - weeks * WEEK).toISOString(), to: new Date(to).toISOString() };
}

function FigureCell({ type, figure }: { type: (typeof TYPES)[number]; figure: TFigure }) {
  return (
    <td className="num" title={formatInterval(type, figure)}>
      {formatFigure(type, figure)}
      <Text span size="xs" c="dimmed">
        {" "}
        n={figure.n}
      </Text>
      {figure.n > 0 && figure.smallSample ? (
        <Text span size="xs" c="orange.8">
          {" "}
          (small)
        </Text>
      ) : null}
    </td>
  );
}

/** Reports → Satisfaction: CSAT, NPS and CES with n and intervals, a weekly trend, by team and agent. */
export function SatisfactionCard() {
  const [weeks, setWeeks] = useState<string>("12");
  const [groupBy, setGroupBy] = useState<Exclude<TGroupBy, "week">>("team");
  const range = useMemo(() => rangeOf(Number(weeks)), [weeks]);
  const byWeek = useSatisfaction(range.from, range.to, "week");
  const byGroup = useSatisfaction(range.from, range.to, groupBy);

  const chart = (byWeek.data?.groups ?? []).map((g) => ({
    week: g.key.slice(5),
    CSAT: g.csat.value ?? null,
    NPS: g.nps.value ?? null,
    CES: g.ces.value ?? null,
  }));
  const totals = byWeek.data?.totals;

  return (
    <section
      className={classes.card}
      aria-labelledby="satisfaction-title"
      data-testid="satisfaction"
      id="satisfaction"
    >
      <Group justify="space-between" align="flex-start" mb="md" gap="md">
        <div>
          <h2 className={classes.cardTitle} id="satisfaction-title">
            Satisfaction
          </h2>
          <Text size="xs" c="dimmed">
            Survey answers by when they came in. CSAT is the share of 4–5; NPS is % promoters (9–10) minus %
            detractors (0–6); CES is the mean (7 = very easy). 95% intervals: Wilson for CSAT, adjusted Wald
            for NPS. Fewer than 30 answers is a small sample.
          </Text>
        </div>
        <SegmentedControl
          size="xs"
          value={weeks}
          onChange={setWeeks}
          data={RANGES.map((r) => ({ value: r.value, label: r.label }))}
          aria-label="Date range"
        />
      </Group>
      {byWeek.isPending ? (
        <Loader size="sm" aria-label="Loading satisfaction" />
      ) : byWeek.isError ? (
        <Text role="alert">The report could not be loaded: {byWeek.error.message}</Text>
      ) : totals ? (
        <>
          <div className={classes.kpis}>
            {TYPES.map((type) => (
              <div key={type} className={classes.kpi} data-testid={`satisfaction-${type}`}>
                <div className={classes.kpiLabel}>{TYPE_LABEL[type]}</div>
                <div className={classes.kpiValue}>{formatFigure(type, totals[type])}</div>
                <div className={classes.kpiMeta}>
                  n = {totals[type].n}
                  {totals[type].interval ? ` · ${formatInterval(type, totals[type])}` : ""}
                </div>
                {totals[type].n > 0 && totals[type].smallSample ? (
                  <Badge size="xs" color="orange" variant="light" mt={4}>
                    Small sample
                  </Badge>
                ) : null}
              </div>
            ))}
          </div>
          <Text size="xs" c="dimmed" mt="xs">
            {byWeek.data.sent} surveys sent, {byWeek.data.answered} answered, {byWeek.data.heldBack} held back
            by fatigue rules.
          </Text>
          {chart.some((row) => row.CSAT !== null || row.NPS !== null || row.CES !== null) ? (
            <Suspense fallback={<Skeleton h={240} mt="md" radius="md" />}>
              <SatisfactionChart data={chart} />
            </Suspense>
          ) : (
            <Text size="sm" c="dimmed" mt="md">
              No survey was answered in this range.
            </Text>
          )}
        </>
      ) : null}

      <Group justify="space-between" align="flex-end" mt="xl" mb="xs">
        <h3 className={classes.subTitle}>By {groupBy === "team" ? "team" : "agent who resolved the case"}</h3>
        <SegmentedControl
          size="xs"
          value={groupBy}
          onChange={(v) => setGroupBy(v as "team" | "agent")}
          data={[
            { value: "team", label: "Team" },
            { value: "agent", label: "Agent" },
          ]}
          aria-label="Group the table by"
        />
      </Group>
      {byGroup.isPending ? (
        <Loader size="xs" aria-label="Loading the table" />
      ) : byGroup.isError ? (
        <Text role="alert">The table could not be loaded: {byGroup.error.message}</Text>
      ) : byGroup.data.groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing to show for this range.
        </Text>
      ) : (
        <div className={classes.tableWrap}>
          <table className={classes.table} aria-label={`Satisfaction by ${groupBy}`}>
            <thead>
              <tr>
                <th scope="col">{groupBy === "team" ? "Team" : "Agent"}</th>
                <th scope="col" className="num">
                  CSAT
                </th>
                <th scope="col" className="num">
                  NPS
                </th>
                <th scope="col" className="num">
                  CES
                </th>
              </tr>
            </thead>
            <tbody>
              {byGroup.data.groups.map((g) => (
                <tr key={g.key}>
                  <th scope="row" style={{ fontWeight: 500, textAlign: "left" }}>
                    {g.label}
                  </th>
                  <FigureCell type="csat" figure={g.csat} />
                  <FigureCell type="nps" figure={g.nps} />
                  <FigureCell type="ces" figure={g.ces} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
