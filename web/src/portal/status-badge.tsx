import { Badge } from "@mantine/core";
import type { TPortalCase } from "./portal-api";

const COLOR: Record<TPortalCase["state"], string> = {
  open: "blue",
  waiting_on_you: "orange",
  resolved: "gray",
};

/** The status in words (colour is never the only signal). */
export function StatusBadge({ c }: { c: Pick<TPortalCase, "state" | "statusLabel"> }) {
  return (
    <Badge
      color={COLOR[c.state]}
      variant="light"
      size="md"
      radius="sm"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: "visible" } }}
    >
      {c.statusLabel}
    </Badge>
  );
}
