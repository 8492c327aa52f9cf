import "@mantine/charts/styles.css";
import { LineChart } from "@mantine/charts";

/** Weekly CSAT (%) and NPS (−100…100), and CES (1–7) on its own scale: loaded on demand. */
export default function SatisfactionChart({
  data,
}: {
  data: { week: string; CSAT: number | null; NPS: number | null; CES: number | null }[];
}) {
  return (
    <>
      <LineChart
        h={240}
        data={data}
        dataKey="week"
        series={[
          { name: "CSAT", label: "CSAT (%)", color: "teal.7" },
          { name: "NPS", color: "indigo.6" },
        ]}
        connectNulls
        withLegend
        legendProps={{ verticalAlign: "top", height: 36 }}
        yAxisProps={{ domain: [-100, 100] }}
        referenceLines={[{ y: 0, color: "gray.4" }]}
        curveType="monotone"
        aria-label="CSAT and NPS by week"
        mt="md"
      />
      <LineChart
        h={160}
        data={data}
        dataKey="week"
        series={[{ name: "CES", label: "CES (1–7, 7 = very easy)", color: "orange.7" }]}
        connectNulls
        withLegend
        legendProps={{ verticalAlign: "top", height: 36 }}
        yAxisProps={{ domain: [1, 7] }}
        curveType="monotone"
        aria-label="Customer effort score by week"
        mt="md"
      />
    </>
  );
}
