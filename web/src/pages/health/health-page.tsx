import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function HealthPage() {
  return <PlaceholderPage area={areaByKey("health")} />;
}
