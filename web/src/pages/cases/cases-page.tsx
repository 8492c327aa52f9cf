import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function CasesPage() {
  return <PlaceholderPage area={areaByKey("cases")} />;
}
