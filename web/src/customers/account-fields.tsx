import { Autocomplete, NumberInput, Select, SimpleGrid, TextInput } from "@mantine/core";
import { useMemo } from "react";
import type { TAccountDraft, TAccountField } from "./account-draft";
import { ownerOptions, useStaffUsers } from "./api";
import { currencySymbol } from "./format";
import { countryOptions, timeZoneOptions } from "./options";

const WRAPPER_ORDER: ("label" | "input" | "description" | "error")[] = [
  "label",
  "input",
  "description",
  "error",
];

const INDUSTRIES = [
  "Agriculture",
  "Construction",
  "Consulting",
  "Education",
  "Energy",
  "Financial services",
  "Government",
  "Healthcare",
  "Hospitality",
  "Insurance",
  "Logistics",
  "Manufacturing",
  "Media",
  "Non-profit",
  "Real estate",
  "Retail",
  "Software",
  "Telecommunications",
  "Travel",
];

/** The account's fields, laid out two by two (one column on a phone). */
export function AccountFields({
  draft,
  errors,
  onChange,
  withCustomerSince = false,
  autoFocusName = false,
  currentOwnerId,
}: {
  draft: TAccountDraft;
  errors: Partial<Record<TAccountField, string>>;
  onChange: <F extends TAccountField>(field: F, value: TAccountDraft[F]) => void;
  withCustomerSince?: boolean;
  autoFocusName?: boolean;
  currentOwnerId?: string | null;
}) {
  const staff = useStaffUsers();
  const owners = useMemo(() => ownerOptions(staff.users, currentOwnerId), [staff.users, currentOwnerId]);
  const zones = useMemo(() => timeZoneOptions(draft.timeZone), [draft.timeZone]);

  return (
    // Descriptions go under the inputs so side-by-side inputs line up whatever their hints.
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
      <TextInput
        label="Name"
        name="name"
        required
        withAsterisk
        data-autofocus={autoFocusName || undefined}
        autoComplete="organization"
        value={draft.name}
        onChange={(event) => onChange("name", event.currentTarget.value)}
        error={errors.name}
        maxLength={200}
        style={{ gridColumn: "1 / -1" }}
      />
      <TextInput
        label="Domain"
        inputWrapperOrder={WRAPPER_ORDER}
        name="domain"
        placeholder="acme.com"
        description="Finds the account from a contact's email address"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="none"
        value={draft.domain}
        onChange={(event) => onChange("domain", event.currentTarget.value)}
        error={errors.domain}
      />
      <NumberInput
        label="Annual revenue"
        inputWrapperOrder={WRAPPER_ORDER}
        name="annualRevenue"
        description="Sets the tier: key accounts bring the top 80%"
        prefix={currencySymbol}
        thousandSeparator=","
        decimalScale={2}
        allowNegative={false}
        min={0}
        hideControls
        placeholder={`${currencySymbol}0`}
        value={draft.annualRevenue}
        onChange={(value) => onChange("annualRevenue", value)}
        error={errors.annualRevenue}
      />
      <Select
        label="Owner"
        name="ownerId"
        placeholder={staff.isPending ? "Loading people…" : "No owner"}
        data={owners}
        searchable
        clearable
        allowDeselect={false}
        nothingFoundMessage="Nobody by that name"
        value={draft.ownerId}
        onChange={(value) => onChange("ownerId", value)}
        error={errors.ownerId}
        comboboxProps={{ withinPortal: true }}
      />
      <Autocomplete
        label="Industry"
        name="industry"
        placeholder="e.g. Software"
        data={INDUSTRIES}
        value={draft.industry}
        onChange={(value) => onChange("industry", value)}
        error={errors.industry}
        maxLength={100}
      />
      <Select
        label="Country"
        name="country"
        placeholder="Not set"
        data={countryOptions()}
        searchable
        clearable
        nothingFoundMessage="No country by that name"
        value={draft.country}
        onChange={(value) => onChange("country", value)}
        error={errors.country}
      />
      <Select
        label="Time zone"
        inputWrapperOrder={WRAPPER_ORDER}
        name="timeZone"
        placeholder="UTC"
        description="The customer's business hours and local time"
        data={zones}
        searchable
        clearable={!withCustomerSince}
        limit={80}
        nothingFoundMessage="No time zone by that name"
        value={draft.timeZone}
        onChange={(value) => onChange("timeZone", value)}
        error={errors.timeZone}
      />
      {withCustomerSince ? (
        <TextInput
          label="Customer since"
          name="customerSince"
          type="date"
          value={draft.customerSince}
          onChange={(event) => onChange("customerSince", event.currentTarget.value)}
          error={errors.customerSince}
        />
      ) : null}
    </SimpleGrid>
  );
}
