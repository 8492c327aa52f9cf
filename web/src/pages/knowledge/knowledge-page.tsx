import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function KnowledgePage() {
  return <PlaceholderPage area={areaByKey("knowledge")} />;
}
