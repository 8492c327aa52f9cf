import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function ReportsPage() {
  return <PlaceholderPage area={areaByKey("reports")} />;
}
