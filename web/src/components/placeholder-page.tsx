import { Badge } from "@mantine/core";
import type { TArea } from "../app/areas";
import { Page, PageMessage } from "./page";

/** What an area shows until its issue lands: its name and an honest sentence, no fake data. */
export function PlaceholderPage({ area }: { area: TArea }) {
  const title = area.title ?? area.label;
  return (
    <Page
      title={title}
      icon={area.icon}
      actions={
        <Badge variant="light" color="gray" radius="sm" size="md" tt="none" fw={500} visibleFrom="xs">
          Coming in a later release
        </Badge>
      }
    >
      <PageMessage icon={area.icon} title={`${title} is coming in a later release`}>
        {area.description}
      </PageMessage>
    </Page>
  );
}
