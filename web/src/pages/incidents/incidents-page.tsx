import { Alert, Anchor, Button, Group, Loader, Tabs, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconExternalLink, IconPlus } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { Link, Route, Routes, useNavigate, useSearchParams } from "react-router-dom";
import { areaByKey } from "../../app/areas";
import { Page, PageMessage } from "../../components/page";
import { formatDateTime } from "../cases/case-format";
import { useNow } from "../cases/use-now";
import { incidentKeys, type TIncidentListItem, useIncidentList } from "./api";
import { DeclareIncidentPage } from "./declare-incident-page";
import {
  agoShort,
  duration,
  ImpactBadge,
  IncidentStatusBadge,
  plural,
  useCanDeclare,
} from "./incident-format";
import { IncidentPage } from "./incident-page";
import classes from "./incidents.module.css";

/** Incidents: the list (open, resolved), declaring one, and one incident's page. */
export function IncidentsPage() {
  return (
    <Routes>
      <Route index element={<IncidentList />} />
      <Route path="new" element={<DeclareIncidentPage />} />
      <Route path=":id" element={<IncidentPage />} />
    </Routes>
  );
}

function IncidentList() {
  const area = areaByKey("incidents");
  const [params, setParams] = useSearchParams();
  const state = params.get("state") === "resolved" ? "resolved" : "open";
  const canDeclare = useCanDeclare();
  const navigate = useNavigate();
  const list = useIncidentList(state);
  const qc = useQueryClient();
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const declare = canDeclare ? (
    <Button
      component={Link}
      to="/incidents/new"
      size="xs"
      leftSection={<IconPlus size={14} aria-hidden />}
      data-testid="declare-incident"
    >
      Declare an incident
    </Button>
  ) : null;

  return (
    <Page
      title={area.label}
      icon={area.icon}
      actions={
        <Group gap="xs">
          <Button
            component="a"
            href="/status"
            target="_blank"
            rel="noopener"
            size="xs"
            variant="default"
            rightSection={<IconExternalLink size={14} aria-hidden />}
          >
            Public status page
          </Button>
          {declare}
        </Group>
      }
    >
      <Tabs
        value={state}
        onChange={(value) => setParams(value === "resolved" ? { state: "resolved" } : {}, { replace: true })}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="open">Open</Tabs.Tab>
          <Tabs.Tab value="resolved">Resolved</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading incidents" />
      ) : list.isError ? (
        <Alert color="red" role="alert" title="Incidents could not be loaded">
          {list.error.message}{" "}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => void qc.invalidateQueries({ queryKey: incidentKeys.lists })}
          >
            Try again
          </Anchor>
        </Alert>
      ) : items.length === 0 ? (
        state === "open" ? (
          <PageMessage
            icon={IconCircleCheck}
            title="No open incidents"
            action={
              canDeclare ? (
                <Button variant="light" mt="xs" onClick={() => navigate("/incidents/new")}>
                  Declare an incident
                </Button>
              ) : undefined
            }
          >
            When something breaks for many customers at once, declare an incident: link the cases it causes,
            tell the affected customers before they call, and show it on the public status page.
          </PageMessage>
        ) : (
          <PageMessage icon={IconAlertTriangle} title="No resolved incidents yet">
            Incidents move here when an update marks them resolved.
          </PageMessage>
        )
      ) : (
        <>
          <IncidentTable items={items} resolved={state === "resolved"} />
          {list.hasNextPage ? (
            <Button
              variant="default"
              size="xs"
              mt="md"
              loading={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              Show more
            </Button>
          ) : null}
        </>
      )}
    </Page>
  );
}

function IncidentTable({ items, resolved }: { items: TIncidentListItem[]; resolved: boolean }) {
  const now = useNow();
  return (
    <div className={classes.tableWrap}>
      <table className={classes.table} aria-label={resolved ? "Resolved incidents" : "Open incidents"}>
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Impact</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            {resolved ? <th scope="col">Lasted</th> : null}
            <th scope="col" className={classes.num}>
              Linked cases
            </th>
            <th scope="col" className={classes.num}>
              Contacts told
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((incident) => (
            <tr key={incident.id} data-testid="incident-row">
              <td>
                <Link to={`/incidents/${incident.id}`} className={classes.rowLink}>
                  <span className={classes.number}>{incident.number}</span>
                  <span className={classes.rowTitle}>{incident.title}</span>
                </Link>
                <Text size="xs" c="dimmed" mt={2}>
                  Affects {incident.affectsText}
                  {incident.public ? "" : " · not on the status page"}
                </Text>
              </td>
              <td>
                <ImpactBadge impact={incident.impact} />
              </td>
              <td>
                <IncidentStatusBadge status={incident.status} />
              </td>
              <td className={classes.nowrap}>
                <time dateTime={incident.startedAt} title={formatDateTime(incident.startedAt)}>
                  {agoShort(incident.startedAt, now)}
                </time>
              </td>
              {resolved ? (
                <td>{incident.resolvedAt ? duration(incident.startedAt, incident.resolvedAt) : "—"}</td>
              ) : null}
              <td className={classes.num}>{incident.linkedCaseCount}</td>
              <td className={classes.num}>
                <span title={plural(incident.affectedAccountCount, "affected account")}>
                  {incident.contactsNotified}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
