import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function FeedbackPage() {
  return <PlaceholderPage area={areaByKey("feedback")} />;
}
