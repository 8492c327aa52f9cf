import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";

/** Met against breached per SLA target: loaded on demand, with the charting library. */
export default function ComplianceChart({
  data,
}: {
  data: { kpi: string; Met: number; Breached: number }[];
}) {
  return (
    <BarChart
      h={220}
      data={data}
      dataKey="kpi"
      type="stacked"
      series={[
        { name: "Met", color: "teal.7" },
        { name: "Breached", color: "red.7" },
      ]}
      withLegend
      legendProps={{ verticalAlign: "top", height: 36 }}
      tickLine="y"
      yAxisProps={{ allowDecimals: false }}
      maxBarWidth={80}
      aria-label="Clocks met and breached per SLA target"
      mt="md"
    />
  );
}
