import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function ActivitiesPage() {
  return <PlaceholderPage area={areaByKey("activities")} />;
}
