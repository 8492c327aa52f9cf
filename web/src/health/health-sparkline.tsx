import "@mantine/charts/styles.css";
import { Sparkline } from "@mantine/charts";

/** The score trend: loaded on demand, with the charting library. */
export default function HealthSparkline({
  scores,
  color,
  label,
}: {
  scores: number[];
  color: string;
  label: string;
}) {
  return (
    <Sparkline
      h={36}
      data={scores}
      curveType="linear"
      color={color}
      fillOpacity={0.15}
      strokeWidth={1.6}
      aria-label={label}
      role="img"
    />
  );
}
