import { Alert, Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { Link } from "react-router-dom";
import { ApiError } from "../api/problem";
import { useCurrentUser } from "../auth/session";
import { type TLiveEvent, useLiveEvent } from "../live/live-updates";
import {
  impactColor,
  incidentKeys,
  statusLabel,
  type TCaseIncident,
  useCaseIncidents,
  useIncidentMutations,
} from "../pages/incidents/api";

/**
 * The case's incident banner: the incident it is linked to ("Linked to INC-000012 · Billing
 * exports fail · Identified"), or an open incident affecting its account that it is not linked
 * to, with a one-click link. Nothing when neither.
 */
export function CaseIncidents({ caseId }: { caseId: string }) {
  const incidents = useCaseIncidents(caseId);
  const qc = useQueryClient();
  const onLive = useCallback(
    (event: TLiveEvent) => {
      if (event.entityId === caseId) void qc.invalidateQueries({ queryKey: incidentKeys.ofCase(caseId) });
    },
    [qc, caseId],
  );
  useLiveEvent(onLive);
  const items = incidents.data?.items ?? [];
  if (items.length === 0) return null;
  const linked = items.filter((incident) => incident.linked);
  // Once linked to one open incident, the others cannot take the case (409): show only the link.
  const linkedOpen = linked.some((incident) => incident.status !== "resolved");
  const affecting = linkedOpen
    ? []
    : items.filter((incident) => !incident.linked && incident.status !== "resolved");
  return (
    <Stack gap={6} maw={820} mx="auto" mb={12} data-testid="case-incidents">
      {linked.map((incident) => (
        <LinkedBanner key={incident.id} incident={incident} />
      ))}
      {affecting.map((incident) => (
        <AffectingBanner key={incident.id} incident={incident} caseId={caseId} />
      ))}
    </Stack>
  );
}

function LinkedBanner({ incident }: { incident: TCaseIncident }) {
  const resolved = incident.status === "resolved";
  return (
    <Alert
      color={resolved ? "gray" : impactColor[incident.impact]}
      variant="light"
      icon={<IconAlertTriangle size={16} aria-hidden />}
      py={8}
      data-testid="case-incident-linked"
    >
      <Text size="sm">
        Linked to{" "}
        <Anchor component={Link} to={`/incidents/${incident.id}`} size="sm" fw={600}>
          {incident.number}
        </Anchor>{" "}
        · {incident.title} · {statusLabel[incident.status]}
      </Text>
    </Alert>
  );
}

function AffectingBanner({ incident, caseId }: { incident: TCaseIncident; caseId: string }) {
  const { link } = useIncidentMutations();
  const user = useCurrentUser();
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle size={16} aria-hidden />}
      py={8}
      data-testid="case-incident-affecting"
    >
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Text size="sm">
          This account is affected by{" "}
          <Anchor component={Link} to={`/incidents/${incident.id}`} size="sm" fw={600}>
            {incident.number}
          </Anchor>{" "}
          · {incident.title} · {statusLabel[incident.status]}
        </Text>
        {user.role !== "sales" ? (
          <Button
            size="compact-xs"
            variant="white"
            loading={link.isPending}
            onClick={() =>
              link.mutate(
                { id: incident.id, caseIds: [caseId] },
                {
                  onSuccess: () =>
                    notifications.show({ color: "green", message: `Linked to ${incident.number}` }),
                  onError: (error) =>
                    notifications.show({
                      color: "red",
                      message:
                        error instanceof ApiError && error.status === 409
                          ? (error.problem?.detail ?? "This case is already linked to another open incident.")
                          : error.message,
                    }),
                },
              )
            }
          >
            Link this case
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
