import { Button, Group, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconRoute } from "@tabler/icons-react";
import { ApiError } from "../api/problem";
import { useCurrentUser } from "../auth/session";
import { useAnnounce } from "../components/live-region";
import type { TCase } from "../pages/cases/api";
import { useReroute } from "./api";
import classes from "./routing.module.css";

/** The case's routing: which rule placed it and why, who got it, and "Re-route". */
export function CaseRoutingSection({ item }: { item: TCase }) {
  const me = useCurrentUser();
  const reroute = useReroute(item.id);
  const announce = useAnnounce();
  const mayReroute = me.role !== "sales" && !item.mergedIntoId;

  function run() {
    reroute.mutate(undefined, {
      onSuccess: (updated) => {
        announce(`Re-routed: ${updated.routing?.explanation ?? "done"}`);
        notifications.show({
          color: "green",
          title: "Re-routed",
          message: updated.routing?.explanation ?? "",
        });
      },
      onError: (failure) =>
        notifications.show({
          color: "red",
          title: "The case could not be re-routed",
          message: failure instanceof ApiError ? failure.message : "Try again.",
        }),
    });
  }

  return (
    <section aria-labelledby={`routing-${item.id}`} data-testid="case-routing">
      <Group justify="space-between" align="center" mb={4}>
        <Text
          id={`routing-${item.id}`}
          size="xs"
          fw={650}
          c="dimmed"
          tt="uppercase"
          style={{ letterSpacing: "0.05em" }}
        >
          Routing
        </Text>
        {mayReroute ? (
          <Tooltip label="Run today's routing rules on the case as it is now">
            <Button
              size="compact-xs"
              variant="subtle"
              leftSection={<IconRoute size={13} aria-hidden />}
              onClick={run}
              loading={reroute.isPending}
            >
              Re-route
            </Button>
          </Tooltip>
        ) : null}
      </Group>
      <Text className={classes.caseRouting} c={item.routing ? undefined : "dimmed"}>
        {item.routing?.explanation ?? "No routing rule or queue assignment applied when the case arrived."}
      </Text>
    </section>
  );
}
