import {
  Button,
  Group,
  Input,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  TagsInput,
  Text,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, unwrap } from "../api/client";
import { formErrorsFrom } from "../api/form-errors";
import { canAdminister, useCurrentUser } from "../auth/session";
import { ConfirmDialog } from "../components/confirm-dialog";
import { useAnnounce } from "../components/live-region";
import { customerKeys } from "../customers/api";
import { FormModal } from "../customers/form-modal";
import { CHANNELS, channelLabel } from "../pages/cases/case-format";
import { AccountPicker } from "./account-picker";
import {
  type TEntitlement,
  type TEntitlementInput,
  useDeleteEntitlement,
  usePolicies,
  useSaveEntitlement,
} from "./api";

const FIELDS = [
  "accountId",
  "contactId",
  "name",
  "unit",
  "total",
  "startsOn",
  "endsOn",
  "channels",
  "products",
  "slaPolicyId",
  "consumeOn",
  "whenExhausted",
] as const;
type TField = (typeof FIELDS)[number];

type TDraft = {
  accountId: string | null;
  contactId: string | null;
  name: string;
  unit: "cases" | "hours";
  total: number | string;
  startsOn: string;
  endsOn: string;
  channels: string[];
  products: string[];
  slaPolicyId: string | null;
  consumeOn: "creation" | "resolution";
  whenExhausted: "flag" | "refuse";
};

function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function emptyDraft(accountId: string | null): TDraft {
  const today = new Date();
  const nextYear = new Date(today.getFullYear() + 1, today.getMonth(), today.getDate() - 1);
  return {
    accountId,
    contactId: null,
    name: "",
    unit: "cases",
    total: 10,
    startsOn: isoDay(today),
    endsOn: isoDay(nextYear),
    channels: [],
    products: [],
    slaPolicyId: null,
    consumeOn: "resolution",
    whenExhausted: "flag",
  };
}

function draftOf(item: TEntitlement): TDraft {
  return {
    accountId: item.accountId,
    contactId: item.contactId,
    name: item.name,
    unit: item.unit,
    total: item.total,
    startsOn: item.startsOn,
    endsOn: item.endsOn,
    channels: item.channels ?? [],
    products: item.products ?? [],
    slaPolicyId: item.slaPolicyId,
    consumeOn: item.consumeOn,
    whenExhausted: item.whenExhausted,
  };
}

/** Who may change entitlements (the server decides; this only hides the buttons). */
export function canEditEntitlements(role: string): boolean {
  return role === "admin" || role === "manager" || role === "sales";
}

/**
 * Create or change an entitlement. `accountId` fixes the account (the account screen); without
 * it the account is picked here (the admin list).
 */
export function EntitlementEditor({
  opened,
  onClose,
  entitlement,
  accountId,
}: {
  opened: boolean;
  onClose: () => void;
  entitlement: TEntitlement | null;
  accountId: string | null;
}) {
  const user = useCurrentUser();
  const announce = useAnnounce();
  const save = useSaveEntitlement(entitlement?.id ?? null);
  const remove = useDeleteEntitlement();
  const { policies } = usePolicies();
  const [draft, setDraft] = useState<TDraft>(() =>
    entitlement ? draftOf(entitlement) : emptyDraft(accountId),
  );
  const [errors, setErrors] = useState<Partial<Record<TField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [errorTick, setErrorTick] = useState(0);
  const [confirming, setConfirming] = useState(false);

  // A new opening starts from the entitlement (or a blank one) again.
  useEffect(() => {
    if (!opened) return;
    setDraft(entitlement ? draftOf(entitlement) : emptyDraft(accountId));
    setErrors({});
    setFormError(null);
  }, [opened, entitlement, accountId]);

  const contacts = useQuery({
    queryKey: [...customerKeys.contactLists, "pick", draft.accountId, ""],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/accounts/{id}/contacts", {
          params: { path: { id: draft.accountId ?? "" }, query: { limit: 100 } },
          signal,
        }),
      ),
    enabled: opened && Boolean(draft.accountId),
    staleTime: 30_000,
  });

  const set = <K extends keyof TDraft>(key: K, value: TDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  function submit() {
    setErrors({});
    setFormError(null);
    const local: Partial<Record<TField, string>> = {};
    if (!draft.accountId) local.accountId = "Choose the account this entitlement belongs to.";
    if (!draft.name.trim()) local.name = "Give it a name, such as “Premium support 2026”.";
    const total = typeof draft.total === "number" ? draft.total : Number.parseFloat(draft.total);
    if (!Number.isFinite(total) || total <= 0) local.total = "Enter how many cases or hours it covers.";
    if (!draft.startsOn) local.startsOn = "Enter the first day it covers.";
    if (!draft.endsOn) local.endsOn = "Enter the last day it covers.";
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setErrorTick((tick) => tick + 1);
      return;
    }
    const body: TEntitlementInput = {
      accountId: draft.accountId as string,
      contactId: draft.contactId,
      name: draft.name.trim(),
      unit: draft.unit,
      total,
      startsOn: draft.startsOn,
      endsOn: draft.endsOn,
      channels: draft.channels.length ? (draft.channels as TEntitlementInput["channels"]) : null,
      products: draft.products.length ? draft.products : null,
      slaPolicyId: draft.slaPolicyId,
      consumeOn: draft.unit === "hours" ? "resolution" : draft.consumeOn,
      whenExhausted: draft.whenExhausted,
    };
    save.mutate(body, {
      onSuccess: (saved) => {
        notifications.show({
          color: "green",
          message: entitlement ? `Entitlement ${saved.name} saved` : `Entitlement ${saved.name} created`,
        });
        announce(entitlement ? "Entitlement saved" : "Entitlement created");
        onClose();
      },
      onError: (error) => {
        const split = formErrorsFrom(error, FIELDS);
        setErrors(split.fields);
        setFormError(split.form);
        setErrorTick((tick) => tick + 1);
      },
    });
  }

  return (
    <>
      <FormModal
        opened={opened && !confirming}
        onClose={onClose}
        title={entitlement ? `Edit ${entitlement.name}` : "New entitlement"}
        submitLabel={entitlement ? "Save" : "Create entitlement"}
        submitting={save.isPending}
        formError={formError}
        errorTick={errorTick}
        onSubmit={submit}
      >
        {accountId === null ? (
          <AccountPicker
            value={draft.accountId}
            onChange={(id) => setDraft((current) => ({ ...current, accountId: id, contactId: null }))}
            error={errors.accountId}
            required
            clearable={false}
          />
        ) : null}
        <TextInput
          label="Name"
          placeholder="Premium support 2026"
          value={draft.name}
          onChange={(event) => set("name", event.currentTarget.value)}
          error={errors.name}
          required
          maxLength={200}
          data-autofocus
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Input.Wrapper label="Counts" error={errors.unit}>
            <SegmentedControl
              fullWidth
              value={draft.unit}
              onChange={(value) => set("unit", value as TDraft["unit"])}
              data={[
                { value: "cases", label: "Cases" },
                { value: "hours", label: "Hours" },
              ]}
              aria-label="Counts cases or hours"
            />
          </Input.Wrapper>
          <NumberInput
            label={draft.unit === "cases" ? "Cases included" : "Hours included"}
            min={0}
            max={1_000_000}
            decimalScale={draft.unit === "hours" ? 2 : 0}
            allowNegative={false}
            value={draft.total}
            onChange={(value) => set("total", value)}
            error={errors.total}
            required
          />
          <TextInput
            type="date"
            label="Starts on"
            value={draft.startsOn}
            onChange={(event) => set("startsOn", event.currentTarget.value)}
            error={errors.startsOn}
            required
          />
          <TextInput
            type="date"
            label="Ends on (last day covered)"
            value={draft.endsOn}
            onChange={(event) => set("endsOn", event.currentTarget.value)}
            error={errors.endsOn}
            required
          />
        </SimpleGrid>
        <Select
          label="Only for contact"
          placeholder="Everyone at the account"
          clearable
          searchable
          data={(contacts.data?.items ?? []).map((contact) => ({ value: contact.id, label: contact.name }))}
          value={draft.contactId}
          onChange={(value) => set("contactId", value)}
          error={errors.contactId}
          disabled={!draft.accountId}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <MultiSelect
            label="Channels"
            placeholder={draft.channels.length ? "" : "Every channel"}
            data={CHANNELS.map((channel) => ({ value: channel, label: channelLabel[channel] }))}
            value={draft.channels}
            onChange={(value) => set("channels", value)}
            error={errors.channels}
            clearable
          />
          <TagsInput
            label="Products"
            placeholder={draft.products.length ? "" : "Every product (type, Enter)"}
            value={draft.products}
            onChange={(value) => set("products", value)}
            error={errors.products}
            maxTags={100}
            clearable
          />
        </SimpleGrid>
        <Select
          label="SLA policy it brings"
          description="Cases it covers run under this policy, whatever the policies' own conditions say"
          placeholder="None: the policies decide by their conditions"
          clearable
          data={policies.map((policy) => ({ value: policy.id, label: policy.name }))}
          value={draft.slaPolicyId}
          onChange={(value) => set("slaPolicyId", value)}
          error={errors.slaPolicyId}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Input.Wrapper
            inputWrapperOrder={["label", "input", "description", "error"]}
            label="A case counts"
            description={draft.unit === "hours" ? "Hours count the time logged, at resolution" : undefined}
            error={errors.consumeOn}
          >
            <SegmentedControl
              fullWidth
              value={draft.unit === "hours" ? "resolution" : draft.consumeOn}
              onChange={(value) => set("consumeOn", value as TDraft["consumeOn"])}
              disabled={draft.unit === "hours"}
              data={[
                { value: "creation", label: "When created" },
                { value: "resolution", label: "When resolved" },
              ]}
              aria-label="A case counts when"
            />
          </Input.Wrapper>
          <Input.Wrapper
            inputWrapperOrder={["label", "input", "description", "error"]}
            label="When used up or expired"
            description={
              draft.whenExhausted === "flag"
                ? "New cases come in flagged for a manager"
                : "New cases are refused"
            }
            error={errors.whenExhausted}
          >
            <SegmentedControl
              fullWidth
              value={draft.whenExhausted}
              onChange={(value) => set("whenExhausted", value as TDraft["whenExhausted"])}
              data={[
                { value: "flag", label: "Flag" },
                { value: "refuse", label: "Refuse" },
              ]}
              aria-label="When used up or expired"
            />
          </Input.Wrapper>
        </SimpleGrid>
        {entitlement ? (
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {entitlement.used} of {entitlement.total} used so far.
            </Text>
            {canAdminister(user.role) ? (
              <Button variant="subtle" color="red" size="compact-sm" onClick={() => setConfirming(true)}>
                Delete…
              </Button>
            ) : null}
          </Group>
        ) : null}
      </FormModal>
      {entitlement ? (
        <ConfirmDialog
          opened={confirming}
          onClose={() => setConfirming(false)}
          onConfirm={() =>
            remove.mutate(entitlement.id, {
              onSuccess: () => {
                notifications.show({ color: "gray", message: `Entitlement ${entitlement.name} deleted` });
                announce("Entitlement deleted");
                setConfirming(false);
                onClose();
              },
            })
          }
          title={`Delete ${entitlement.name}?`}
          confirmLabel="Delete entitlement"
          busy={remove.isPending}
          error={remove.error ? remove.error.message : null}
        >
          Only an entitlement no case counts against can be deleted. This can't be undone.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
