import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function MyDayPage() {
  return <PlaceholderPage area={areaByKey("myDay")} />;
}
