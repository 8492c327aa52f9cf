import { areaByKey } from "../../app/areas";
import { PlaceholderPage } from "../../components/placeholder-page";

export function AccountsPage() {
  return <PlaceholderPage area={areaByKey("accounts")} />;
}
