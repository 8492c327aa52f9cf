import { IconLock } from "@tabler/icons-react";
import { areaByKey, canOpenArea } from "../../app/areas";
import { useCurrentUser } from "../../auth/session";
import { Page, PageMessage } from "../../components/page";
import { PlaceholderPage } from "../../components/placeholder-page";

export function AdminPage() {
  const user = useCurrentUser();
  const area = areaByKey("admin");
  if (canOpenArea(area, user.role)) return <PlaceholderPage area={area} />;
  return (
    <Page title={area.label} icon={area.icon}>
      <PageMessage icon={IconLock} title="Admin is for administrators and managers">
        Ask an administrator or a manager in your team if a setting needs changing.
      </PageMessage>
    </Page>
  );
}
