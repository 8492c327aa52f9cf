import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowUp, IconExternalLink, IconPlus, IconServer } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { formErrorsFrom } from "../../api/form-errors";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { PageMessage } from "../../components/page";
import { type TStatusComponent, useStatusComponentMutations, useStatusComponents } from "../incidents/api";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";

const componentStatusLabel: Record<TStatusComponent["status"], string> = {
  operational: "Operational",
  degraded: "Degraded",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
};
const componentStatusColor: Record<TStatusComponent["status"], string> = {
  operational: "green",
  degraded: "yellow",
  partial_outage: "orange",
  major_outage: "red",
};

/** Admin → Status page: the parts of the service the public status page lists. */
export function StatusComponentsPage() {
  const components = useStatusComponents();
  const { update, archive } = useStatusComponentMutations();
  const [editing, setEditing] = useState<TStatusComponent | "new" | null>(null);
  const [archiving, setArchiving] = useState<TStatusComponent | null>(null);
  const [archiveError, setArchiveError] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const items = components.data?.items ?? [];

  /** Moves one component up or down, renumbering positions 0..n-1 so ties cannot stall a move. */
  async function move(index: number, by: -1 | 1) {
    const order = [...items];
    const [picked] = order.splice(index, 1);
    if (!picked) return;
    order.splice(index + by, 0, picked);
    setMoving(true);
    try {
      for (const [position, component] of order.entries()) {
        if (component.position !== position) {
          await update.mutateAsync({ id: component.id, body: { position } });
        }
      }
    } catch (error) {
      notifications.show({ color: "red", message: error instanceof Error ? error.message : "Not moved" });
    } finally {
      setMoving(false);
    }
  }

  const add = (
    <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setEditing("new")}>
      Add component
    </Button>
  );

  return (
    <AdminFrame title="Status page" actions={add}>
      <p className={classes.lead}>
        The public status page (<a href="/status">/status</a>) lists these parts of your service. Each shows
        the worst impact among the open public incidents that name it. Archived components leave the page;
        past incidents keep them.
      </p>
      <Button
        component="a"
        href="/status"
        target="_blank"
        rel="noopener"
        variant="default"
        size="xs"
        mb="md"
        rightSection={<IconExternalLink size={14} aria-hidden />}
      >
        Open the status page
      </Button>
      {components.isPending ? (
        <Loader size="sm" aria-label="Loading components" />
      ) : components.isError ? (
        <Text role="alert">Components could not be loaded: {components.error.message}</Text>
      ) : items.length === 0 ? (
        <PageMessage
          icon={IconServer}
          title="No components yet"
          action={
            <Button variant="light" mt="xs" onClick={() => setEditing("new")}>
              Add the first component
            </Button>
          }
        >
          Add the parts customers recognise: “Web app”, “Email delivery”, “Billing”, “API”.
        </PageMessage>
      ) : (
        <table className={classes.table} aria-label="Status page components" data-testid="status-components">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Name</th>
              <th scope="col">Now</th>
              <th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((component, index) => (
              <tr key={component.id}>
                <td style={{ width: 80 }}>
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size={28}
                      aria-label={`Move ${component.name} up`}
                      disabled={index === 0 || moving}
                      onClick={() => void move(index, -1)}
                    >
                      <IconArrowUp size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size={28}
                      aria-label={`Move ${component.name} down`}
                      disabled={index === items.length - 1 || moving}
                      onClick={() => void move(index, 1)}
                    >
                      <IconArrowDown size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                </td>
                <td>
                  <Text size="sm" fw={600}>
                    {component.name}
                  </Text>
                  {component.description ? (
                    <Text size="xs" c="dimmed">
                      {component.description}
                    </Text>
                  ) : null}
                </td>
                <td>
                  <Badge variant="light" color={componentStatusColor[component.status]} size="sm">
                    {componentStatusLabel[component.status]}
                  </Badge>
                </td>
                <td style={{ textAlign: "right", whiteSpace: "nowrap" }}>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    aria-label={`Rename ${component.name}`}
                    onClick={() => setEditing(component)}
                  >
                    Rename
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Archive ${component.name}`}
                    onClick={() => {
                      setArchiveError(null);
                      setArchiving(component);
                    }}
                  >
                    Archive
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <ComponentModal
          component={editing === "new" ? null : editing}
          nextPosition={items.length}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <ConfirmDialog
        opened={archiving !== null}
        onClose={() => setArchiving(null)}
        onConfirm={() =>
          archiving &&
          archive.mutate(archiving.id, {
            onSuccess: () => {
              notifications.show({ message: `${archiving.name} archived` });
              setArchiving(null);
            },
            onError: (error) => setArchiveError(error.message),
          })
        }
        title={`Archive ${archiving?.name ?? "component"}?`}
        confirmLabel="Archive"
        busy={archive.isPending}
        error={archiveError}
      >
        It leaves the status page and can no longer be chosen for incidents. Past incidents keep it.
      </ConfirmDialog>
    </AdminFrame>
  );
}

const FIELDS = ["name", "description"] as const;

function ComponentModal({
  component,
  nextPosition,
  onClose,
}: {
  component: TStatusComponent | null;
  nextPosition: number;
  onClose: () => void;
}) {
  const { create, update } = useStatusComponentMutations();
  const [name, setName] = useState(component?.name ?? "");
  const [description, setDescription] = useState(component?.description ?? "");
  const [errors, setErrors] = useState<ReturnType<typeof formErrorsFrom<(typeof FIELDS)[number]>>>({
    fields: {},
    form: null,
  });
  const busy = create.isPending || update.isPending;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ fields: { name: "Give it a name customers recognise." }, form: null });
      return;
    }
    const onError = (error: Error) => setErrors(formErrorsFrom(error, FIELDS, { conflictField: "name" }));
    const body = { name: name.trim(), description: description.trim() || null };
    if (component) {
      update.mutate({ id: component.id, body }, { onSuccess: onClose, onError });
    } else {
      create.mutate({ ...body, position: nextPosition }, { onSuccess: onClose, onError });
    }
  }

  return (
    <Modal opened onClose={onClose} title={component ? `Rename ${component.name}` : "Add a component"}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {errors.form ? (
            <Alert color="red" role="alert">
              {errors.form}
            </Alert>
          ) : null}
          <TextInput
            label="Name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.fields.name}
            data-autofocus
          />
          <Textarea
            label="Description"
            description="Optional: shown under the name on the status page"
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
            <Button type="submit" loading={busy}>
              {component ? "Save" : "Add"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
