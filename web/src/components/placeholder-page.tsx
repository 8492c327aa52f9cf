import type { TArea } from "../app/areas";
import { Page, PageMessage } from "./page";

/** What an area shows until its issue lands: its name and an honest sentence, no fake data. */
export function PlaceholderPage({ area }: { area: TArea }) {
  return (
    <Page title={area.title ?? area.label} icon={area.icon}>
      <PageMessage icon={area.icon} title="Coming in a later release">
        {area.description}
      </PageMessage>
    </Page>
  );
}
