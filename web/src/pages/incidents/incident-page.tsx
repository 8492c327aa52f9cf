import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Kbd,
  Loader,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import {
  IconAlertTriangle,
  IconExternalLink,
  IconLink,
  IconPencil,
  IconSearchOff,
} from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useCallback, useId, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { formErrorsFrom } from "../../api/form-errors";
import { ApiError } from "../../api/problem";
import { areaByKey } from "../../app/areas";
import { useAnnounce } from "../../components/live-region";
import { Page, PageMessage } from "../../components/page";
import { normalizeSegment, type Segment } from "../../components/segment-builder";
import { KeyBadge } from "../../customers/badges";
import { type TLiveEvent, useLiveEvent } from "../../live/live-updates";
import { useCaseStatuses } from "../cases/api";
import { formatDateTime, StatusIcon, statusLabelOf } from "../cases/case-format";
import { useNow } from "../cases/use-now";
import { AffectsField, AudiencePreview } from "./affects-field";
import {
  INCIDENT_IMPACTS,
  INCIDENT_STATUSES,
  impactLabel,
  incidentKeys,
  statusColor,
  statusLabel,
  type TIncident,
  type TIncidentImpact,
  type TIncidentStatus,
  type TLinkedCase,
  useAffectedAccounts,
  useIncident,
  useIncidentMutations,
  useLinkedCases,
  useStatusComponents,
  useSuggestedCases,
} from "./api";
import {
  agoShort,
  duration,
  ImpactBadge,
  IncidentStatusBadge,
  plural,
  useCanDeclare,
} from "./incident-format";
import classes from "./incidents.module.css";

/** One incident: its updates, a composer for the next one, linked and suggested cases, who it affects. */
export function IncidentPage() {
  const { id = "" } = useParams();
  const area = areaByKey("incidents");
  const incident = useIncident(id);
  const canChange = useCanDeclare();
  const [editing, setEditing] = useState(false);
  const now = useNow();
  const qc = useQueryClient();

  // A linked case changing (resolved, reassigned) shows in the linked cases at once.
  const onLive = useCallback(
    (event: TLiveEvent) => {
      if (event.entityType === "case" || event.type.startsWith("case.")) {
        void qc.invalidateQueries({ queryKey: incidentKeys.cases(id) });
        void qc.invalidateQueries({ queryKey: incidentKeys.suggested(id) });
      }
    },
    [qc, id],
  );
  useLiveEvent(onLive);

  if (incident.isPending) {
    return (
      <Page title="Incident" icon={area.icon}>
        <Loader size="sm" aria-label="Loading the incident" />
      </Page>
    );
  }
  if (incident.isError) {
    const missing = incident.error instanceof ApiError && incident.error.status === 404;
    return (
      <Page title={missing ? "Incident not found" : "Incident"} icon={area.icon}>
        {missing ? (
          <PageMessage
            icon={IconSearchOff}
            title="There's no such incident"
            action={
              <Button component={Link} to="/incidents" variant="light" mt="xs">
                All incidents
              </Button>
            }
          >
            The link may be mistyped.
          </PageMessage>
        ) : (
          <Alert color="red" role="alert">
            The incident could not be loaded: {incident.error.message}
          </Alert>
        )}
      </Page>
    );
  }
  const item = incident.data;
  return (
    <Page
      title={`${item.number} · ${item.title}`}
      icon={area.icon}
      above={
        <Anchor component={Link} to="/incidents" size="sm">
          ← Incidents
        </Anchor>
      }
      titleAside={
        <Group gap={6} wrap="nowrap">
          <ImpactBadge impact={item.impact} />
          <IncidentStatusBadge status={item.status} />
        </Group>
      }
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
            Status page
          </Button>
          {canChange ? (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPencil size={14} aria-hidden />}
              onClick={() => setEditing(true)}
            >
              Edit
            </Button>
          ) : null}
        </Group>
      }
      below={
        <Text size="sm" c="dimmed" mt={4} data-testid="incident-summary">
          Started{" "}
          <time dateTime={item.startedAt} title={formatDateTime(item.startedAt)}>
            {agoShort(item.startedAt, now)}
          </time>
          {item.resolvedAt ? ` · resolved after ${duration(item.startedAt, item.resolvedAt)}` : ""} ·{" "}
          {plural(item.linkedCaseCount, "linked case")} ·{" "}
          {plural(item.affectedAccountCount, "affected account")} · {plural(item.contactsNotified, "contact")}{" "}
          told · {item.public ? "on the public status page" : "not on the status page"}
        </Text>
      }
    >
      <div className={classes.layout}>
        <div>
          {canChange ? <UpdateComposer incident={item} /> : null}
          <LinkedCases incident={item} canChange={canChange} />
          {canChange && item.status !== "resolved" ? <SuggestedCases incident={item} /> : null}
        </div>
        <div>
          <Details incident={item} />
          <Timeline incident={item} />
          <AffectedAccounts incident={item} />
        </div>
      </div>
      {editing ? <EditIncidentModal incident={item} onClose={() => setEditing(false)} /> : null}
    </Page>
  );
}

// ---- the composer ----

function UpdateComposer({ incident }: { incident: TIncident }) {
  const { postUpdate } = useIncidentMutations();
  const linked = useLinkedCases(incident.id);
  const statuses = useCaseStatuses();
  const announce = useAnnounce();
  const headingId = useId();
  const [status, setStatus] = useState<TIncidentStatus>(incident.status);
  const [message, setMessage] = useState("");
  const [notify, setNotify] = useState(true);
  const [resolveCases, setResolveCases] = useState(false);
  const [errors, setErrors] = useState<{ fields: Record<string, string | undefined>; form: string | null }>({
    fields: {},
    form: null,
  });
  const openLinked = (linked.data?.items ?? []).filter(
    (c) =>
      statuses.byKey.get(c.status)?.category !== "resolved" &&
      c.status !== "resolved" &&
      c.status !== "closed",
  ).length;

  function submit() {
    if (!message.trim()) {
      setErrors({ fields: { message: "Write what customers should know." }, form: null });
      return;
    }
    const resolving = status === "resolved";
    postUpdate.mutate(
      {
        id: incident.id,
        body: {
          status,
          message: message.trim(),
          notify,
          ...(resolving && resolveCases ? { resolveLinkedCases: true } : {}),
        },
      },
      {
        onSuccess: (update) => {
          setMessage("");
          setResolveCases(false);
          setErrors({ fields: {}, form: null });
          const told = update.notify ? " · customers are being told" : "";
          notifications.show({ color: "green", message: `Update posted${told}` });
          announce(`Update posted: ${statusLabel[update.status]}`);
        },
        onError: (error) =>
          setErrors(formErrorsFrom(error, ["status", "message", "notify", "resolveLinkedCases"] as const)),
      },
    );
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <section className={`${classes.section} ${classes.card}`} aria-labelledby={headingId}>
      <h2 className={classes.sectionTitle} id={headingId}>
        Post an update
      </h2>
      <form onSubmit={onSubmit} noValidate data-testid="incident-composer">
        <Stack gap="sm">
          {errors.form ? (
            <Alert color="red" role="alert">
              {errors.form}
            </Alert>
          ) : null}
          <Select
            label="Status"
            data={INCIDENT_STATUSES.map((value) => ({ value, label: statusLabel[value] }))}
            value={status}
            onChange={(value) => value && setStatus(value as TIncidentStatus)}
            allowDeselect={false}
            error={errors.fields.status}
            w={220}
          />
          <Textarea
            label="Message"
            description={
              <>
                Public: on the status page and in the notice · <Kbd>Ctrl</Kbd> + <Kbd>Enter</Kbd> posts
              </>
            }
            autosize
            minRows={3}
            maxLength={5000}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            onKeyDown={onKeyDown}
            error={errors.fields.message}
          />
          <Switch
            label="Tell affected customers"
            checked={notify}
            onChange={(e) => setNotify(e.currentTarget.checked)}
            error={errors.fields.notify}
          />
          <AudiencePreview affects={incident.affects} incidentId={incident.id} notify={notify} />
          {status === "resolved" ? (
            <Checkbox
              label={
                openLinked > 0
                  ? `Also resolve the ${plural(openLinked, "linked case")}, with this message as the reply`
                  : "Also resolve the linked cases (none is open)"
              }
              checked={resolveCases}
              onChange={(e) => setResolveCases(e.currentTarget.checked)}
              disabled={openLinked === 0}
              error={errors.fields.resolveLinkedCases}
            />
          ) : null}
          <Group justify="flex-end">
            <Button type="submit" loading={postUpdate.isPending}>
              {status === "resolved" && incident.status !== "resolved" ? "Post and resolve" : "Post update"}
            </Button>
          </Group>
        </Stack>
      </form>
    </section>
  );
}

// ---- the timeline ----

function Timeline({ incident }: { incident: TIncident }) {
  const headingId = useId();
  const updates = incident.updates ?? [];
  return (
    <section className={classes.section} aria-labelledby={headingId}>
      <h2 className={classes.sectionTitle} id={headingId}>
        Updates
      </h2>
      {updates.length === 0 ? (
        <Text size="sm" c="dimmed">
          No updates yet.
        </Text>
      ) : (
        <ol className={classes.timeline} data-testid="incident-timeline">
          {updates.map((update) => (
            <li key={update.id} className={classes.update}>
              <span
                className={classes.dot}
                style={{ background: `var(--mantine-color-${statusColor[update.status]}-6)` }}
                aria-hidden
              />
              <Group gap={8}>
                <Text size="sm" fw={650}>
                  {statusLabel[update.status]}
                </Text>
                <Text size="xs" c="dimmed">
                  <time dateTime={update.createdAt}>{formatDateTime(update.createdAt)}</time>
                  {update.notify
                    ? ` · ${update.noticesQueued > 0 ? `${plural(update.noticesQueued, "notice")} sent` : "customers told"}`
                    : " · nobody told"}
                </Text>
              </Group>
              <p className={classes.updateMessage}>{update.message}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

// ---- details ----

function Details({ incident }: { incident: TIncident }) {
  const components = useStatusComponents();
  const headingId = useId();
  const names = incident.componentIds.map(
    (cid) => components.data?.items.find((c) => c.id === cid)?.name ?? "Archived component",
  );
  return (
    <section className={classes.section} aria-labelledby={headingId}>
      <h2 className={classes.sectionTitle} id={headingId}>
        Details
      </h2>
      <dl className={classes.facts}>
        <dt>Affects</dt>
        <dd data-testid="incident-affects">{incident.affectsText}</dd>
        <dt>Components</dt>
        <dd>
          {names.length ? (
            <Group gap={4}>
              {names.map((name) => (
                <Badge key={name} variant="default" size="sm" tt="none">
                  {name}
                </Badge>
              ))}
            </Group>
          ) : (
            <Text span size="sm" c="dimmed">
              none
            </Text>
          )}
        </dd>
        <dt>Status page</dt>
        <dd>{incident.public ? "Shown" : "Hidden (internal only)"}</dd>
        <dt>Started</dt>
        <dd>{formatDateTime(incident.startedAt)}</dd>
        {incident.resolvedAt ? (
          <>
            <dt>Resolved</dt>
            <dd>{formatDateTime(incident.resolvedAt)}</dd>
          </>
        ) : null}
        {incident.description ? (
          <>
            <dt>Internal note</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{incident.description}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

// ---- linked and suggested cases ----

function CaseCell({ row }: { row: TLinkedCase }) {
  return (
    <Anchor component={Link} to={`/cases/${row.caseId}`} size="sm" className={classes.rowLink}>
      <span className={classes.number}>{row.number}</span>
      <span className={classes.rowTitle}>{row.subject}</span>
    </Anchor>
  );
}

function CustomerCell({ row }: { row: TLinkedCase }) {
  return (
    <>
      {row.accountId ? (
        <Anchor component={Link} to={`/accounts/${row.accountId}`} size="sm">
          {row.accountName ?? "Account"}
        </Anchor>
      ) : (
        <Text span size="sm" c="dimmed">
          No account
        </Text>
      )}
      {row.contactName ? (
        <Text size="xs" c="dimmed">
          {row.contactName}
        </Text>
      ) : null}
    </>
  );
}

function linkFailure(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 409)
      return error.problem?.detail ?? "That case is already linked to another open incident.";
    if (error.status === 404) return "That case no longer exists.";
    return error.message;
  }
  return "Not linked. Try again.";
}

function LinkedCases({ incident, canChange }: { incident: TIncident; canChange: boolean }) {
  const linked = useLinkedCases(incident.id);
  const statuses = useCaseStatuses();
  const { unlink } = useIncidentMutations();
  const announce = useAnnounce();
  const headingId = useId();
  const now = useNow();
  const items = linked.data?.items ?? [];
  return (
    <section className={classes.section} aria-labelledby={headingId}>
      <h2 className={classes.sectionTitle} id={headingId}>
        <span>
          Linked cases{" "}
          <Text span size="sm" c="dimmed" fw={400}>
            {linked.data ? items.length : ""}
          </Text>
        </span>
      </h2>
      {linked.isPending ? (
        <Loader size="sm" aria-label="Loading linked cases" />
      ) : linked.isError ? (
        <Text role="alert" size="sm">
          Linked cases could not be loaded: {linked.error.message}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No case is linked yet. Link the cases this incident causes: their customers are told each notified
          update on the case thread.
        </Text>
      ) : (
        <div className={classes.tableWrap}>
          <table className={classes.table} aria-labelledby={headingId} data-testid="linked-cases">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col">Linked</th>
                {canChange ? (
                  <th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((row) => (
                <tr key={row.caseId}>
                  <td>
                    <CaseCell row={row} />
                  </td>
                  <td>
                    <CustomerCell row={row} />
                  </td>
                  <td>
                    <Group gap={4} wrap="nowrap">
                      <StatusIcon status={row.status} meta={statuses.byKey.get(row.status)} size={14} />
                      <Text span size="sm">
                        {statusLabelOf(row.status, statuses.byKey)}
                      </Text>
                    </Group>
                  </td>
                  <td className={classes.nowrap}>
                    {row.linkedAt ? (
                      <time dateTime={row.linkedAt} title={formatDateTime(row.linkedAt)}>
                        {agoShort(row.linkedAt, now)}
                      </time>
                    ) : null}
                  </td>
                  {canChange ? (
                    <td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="gray"
                        aria-label={`Unlink ${row.number}`}
                        loading={unlink.isPending && unlink.variables?.caseId === row.caseId}
                        onClick={() =>
                          unlink.mutate(
                            { id: incident.id, caseId: row.caseId },
                            {
                              onSuccess: () => announce(`${row.number} unlinked`),
                              onError: (e) => notifications.show({ color: "red", message: linkFailure(e) }),
                            },
                          )
                        }
                      >
                        Unlink
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SuggestedCases({ incident }: { incident: TIncident }) {
  const suggested = useSuggestedCases(incident.id, true);
  const { link } = useIncidentMutations();
  const announce = useAnnounce();
  const headingId = useId();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const items = suggested.data?.items ?? [];
  const chosen = items.filter((row) => selected.has(row.caseId));

  function doLink(rows: TLinkedCase[]) {
    link.mutate(
      { id: incident.id, caseIds: rows.map((row) => row.caseId) },
      {
        onSuccess: (result) => {
          setSelected(new Set());
          const what = rows.length === 1 ? (rows[0] as TLinkedCase).number : plural(result.linked, "case");
          notifications.show({ color: "green", message: `${what} linked` });
          announce(`${what} linked to ${incident.number}`);
        },
        onError: (e) => notifications.show({ color: "red", message: linkFailure(e) }),
      },
    );
  }

  function toggle(id: string, on: boolean) {
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  return (
    <section className={classes.section} aria-labelledby={headingId}>
      <h2 className={classes.sectionTitle} id={headingId}>
        <span>
          Suggested cases{" "}
          <Text span size="sm" c="dimmed" fw={400}>
            {suggested.data ? items.length : ""}
          </Text>
        </span>
        {items.length > 0 ? (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconLink size={14} aria-hidden />}
            disabled={chosen.length === 0}
            loading={link.isPending && (link.variables?.caseIds.length ?? 0) > 1}
            onClick={() => doLink(chosen)}
          >
            Link {chosen.length > 0 ? plural(chosen.length, "selected case") : "selected"}
          </Button>
        ) : null}
      </h2>
      <Text size="xs" c="dimmed" mb="xs">
        Open cases from the affected accounts, raised since 2 hours before the incident started; those that
        look most alike first.
      </Text>
      {suggested.isPending ? (
        <Loader size="sm" aria-label="Loading suggested cases" />
      ) : suggested.isError ? (
        <Text role="alert" size="sm">
          Suggestions could not be loaded: {suggested.error.message}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No open case to suggest right now.
        </Text>
      ) : (
        <div className={classes.tableWrap}>
          <table className={classes.table} aria-labelledby={headingId} data-testid="suggested-cases">
            <thead>
              <tr>
                <th scope="col">
                  <Checkbox
                    size="xs"
                    aria-label="Select every suggested case"
                    checked={chosen.length === items.length}
                    indeterminate={chosen.length > 0 && chosen.length < items.length}
                    onChange={(e) =>
                      setSelected(
                        e.currentTarget.checked ? new Set(items.map((row) => row.caseId)) : new Set(),
                      )
                    }
                  />
                </th>
                <th scope="col">Case</th>
                <th scope="col">Customer</th>
                <th scope="col">Priority</th>
                <th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((row) => (
                <tr key={row.caseId}>
                  <td>
                    <Checkbox
                      size="xs"
                      aria-label={`Select ${row.number}`}
                      checked={selected.has(row.caseId)}
                      onChange={(e) => toggle(row.caseId, e.currentTarget.checked)}
                    />
                  </td>
                  <td>
                    <CaseCell row={row} />
                  </td>
                  <td>
                    <CustomerCell row={row} />
                  </td>
                  <td>
                    <Text span size="sm" tt="capitalize">
                      {row.priority}
                    </Text>
                  </td>
                  <td>
                    <Button
                      size="compact-xs"
                      variant="light"
                      aria-label={`Link ${row.number}`}
                      loading={link.isPending && link.variables?.caseIds[0] === row.caseId}
                      onClick={() => doLink([row])}
                    >
                      Link
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === 50 ? (
            <Text size="xs" c="dimmed" mt={4}>
              Showing the first 50.
            </Text>
          ) : null}
        </div>
      )}
    </section>
  );
}

// ---- affected accounts ----

function AffectedAccounts({ incident }: { incident: TIncident }) {
  const accounts = useAffectedAccounts(incident.id);
  const headingId = useId();
  const items = accounts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className={classes.section} aria-labelledby={headingId}>
      <h2 className={classes.sectionTitle} id={headingId}>
        <span>
          Affected accounts{" "}
          <Text span size="sm" c="dimmed" fw={400}>
            {incident.affectedAccountCount}
          </Text>
        </span>
      </h2>
      {accounts.isPending ? (
        <Loader size="sm" aria-label="Loading affected accounts" />
      ) : accounts.isError ? (
        <Text role="alert" size="sm">
          Affected accounts could not be loaded: {accounts.error.message}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {incident.affects === null
            ? "None yet: link a case and its account is affected."
            : "No account matches."}
        </Text>
      ) : (
        <>
          <ul className={classes.accountList} data-testid="affected-accounts">
            {items.map((account) => (
              <li key={account.accountId}>
                <Group gap={6} wrap="nowrap" miw={0}>
                  <Anchor component={Link} to={`/accounts/${account.accountId}`} size="sm" truncate>
                    {account.name}
                  </Anchor>
                  {account.tier === "key" ? <KeyBadge /> : null}
                </Group>
                <Text span size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                  {plural(account.contactsNotified, "told", "told")} · {plural(account.linkedCases, "case")}
                </Text>
              </li>
            ))}
          </ul>
          {accounts.hasNextPage ? (
            <Button
              variant="subtle"
              size="xs"
              mt="xs"
              loading={accounts.isFetchingNextPage}
              onClick={() => void accounts.fetchNextPage()}
            >
              Show more
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}

// ---- edit ----

const EDIT_FIELDS = ["title", "description", "impact", "public", "componentIds", "affects"] as const;

function EditIncidentModal({ incident, onClose }: { incident: TIncident; onClose: () => void }) {
  const { update } = useIncidentMutations();
  const components = useStatusComponents();
  const [title, setTitle] = useState(incident.title);
  const [description, setDescription] = useState(incident.description ?? "");
  const [impact, setImpact] = useState<TIncidentImpact>(incident.impact);
  const [isPublic, setPublic] = useState(incident.public);
  const [componentIds, setComponentIds] = useState<string[]>(incident.componentIds);
  const [affects, setAffects] = useState<Segment | null>((incident.affects as Segment | null) ?? null);
  const [errors, setErrors] = useState<{
    fields: Partial<Record<(typeof EDIT_FIELDS)[number], string>>;
    form: string | null;
  }>({ fields: {}, form: null });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    update.mutate(
      {
        id: incident.id,
        body: {
          title: title.trim(),
          description: description.trim() ? description.trim() : null,
          impact,
          public: isPublic,
          componentIds,
          affects: affects === null ? null : normalizeSegment(affects),
        },
      },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: "Incident saved" });
          onClose();
        },
        onError: (error) => setErrors(formErrorsFrom(error, EDIT_FIELDS)),
      },
    );
  }

  const known = components.data?.items ?? [];
  const options = [
    ...known.map((c) => ({ value: c.id, label: c.name })),
    ...componentIds
      .filter((cid) => !known.some((c) => c.id === cid))
      .map((cid) => ({ value: cid, label: "Archived component" })),
  ];

  return (
    <Modal opened onClose={onClose} title={`Edit ${incident.number}`} size="xl">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.form ? (
            <Alert color="red" role="alert" icon={<IconAlertTriangle size={16} aria-hidden />}>
              {errors.form}
            </Alert>
          ) : null}
          <TextInput
            label="Title"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.fields.title}
            data-autofocus
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Impact"
              data={INCIDENT_IMPACTS.map((value) => ({ value, label: impactLabel[value] }))}
              value={impact}
              onChange={(value) => value && setImpact(value as TIncidentImpact)}
              allowDeselect={false}
              error={errors.fields.impact}
            />
            <Switch
              label="On the public status page"
              checked={isPublic}
              onChange={(e) => setPublic(e.currentTarget.checked)}
              error={errors.fields.public}
              mt={28}
            />
          </SimpleGrid>
          <MultiSelect
            label="Components"
            data={options}
            value={componentIds}
            onChange={setComponentIds}
            searchable
            clearable
            hidePickedOptions
            placeholder={componentIds.length ? "" : "None"}
            error={errors.fields.componentIds}
          />
          <AffectsField value={affects} onChange={setAffects} error={errors.fields.affects} />
          <Textarea
            label="Internal description"
            description="For staff only"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.fields.description}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
