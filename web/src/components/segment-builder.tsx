import { Chip, Fieldset, Group, MultiSelect, SimpleGrid, Stack, TagsInput, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useId, useMemo, useRef, useState } from "react";
import { api, unwrap } from "../api/client";
import { customerKeys, ownerOptions, useStaffUsers } from "../customers/api";
import { countryOptions } from "../customers/options";

export type TSegmentTier = "key" | "standard";
export type TSegmentHealthBand = "healthy" | "watch" | "at_risk";

/**
 * A segment of customers, the same shape as the server's `Segment` schema
 * (src/modules/segments/segments.ts): fields AND, values within a field OR, `{}` = every account.
 */
export type Segment = {
  tiers?: TSegmentTier[];
  healthBands?: TSegmentHealthBand[];
  countries?: string[];
  industries?: string[];
  products?: string[];
  accountIds?: string[];
  ownerIds?: string[];
};

const TIERS: { value: TSegmentTier; label: string }[] = [
  { value: "key", label: "Key accounts" },
  { value: "standard", label: "Standard" },
];

const HEALTH_BANDS: { value: TSegmentHealthBand; label: string; color: string }[] = [
  { value: "healthy", label: "Healthy", color: "teal" },
  { value: "watch", label: "Watch", color: "yellow" },
  { value: "at_risk", label: "At risk", color: "red" },
];

/** The segment without empty fields: what the server stores and compares. */
export function normalizeSegment(segment: Segment): Segment {
  const out: Segment = {};
  for (const [key, value] of Object.entries(segment) as [keyof Segment, string[] | undefined][]) {
    if (value && value.length > 0) (out as Record<string, string[]>)[key] = [...new Set(value)];
  }
  return out;
}

/**
 * One line a person can read, worded like the server's `describeSegment`:
 * "key accounts · in GB · using Billing"; `{}` is "every account".
 */
export function describeSegment(segment: Segment): string {
  const s = normalizeSegment(segment);
  const parts: string[] = [];
  if (s.tiers) parts.push(s.tiers.length === 2 ? "all tiers" : `${s.tiers[0]} accounts`);
  if (s.healthBands) parts.push(`health ${s.healthBands.map((b) => b.replace("_", " ")).join(" or ")}`);
  if (s.countries) parts.push(`in ${s.countries.join(", ")}`);
  if (s.industries) parts.push(`industry ${s.industries.join(" or ")}`);
  if (s.products) parts.push(`using ${s.products.join(" or ")}`);
  if (s.accountIds) parts.push(`${s.accountIds.length} named account${s.accountIds.length === 1 ? "" : "s"}`);
  if (s.ownerIds)
    parts.push(`owned by ${s.ownerIds.length} account manager${s.ownerIds.length === 1 ? "" : "s"}`);
  return parts.length === 0 ? "every account" : parts.join(" · ");
}

/**
 * Builds a segment of customers: tier and health chips, countries, industries and products,
 * named accounts (searched on the server) and account owners, with a one-line summary below.
 * Every control is a labelled form field, usable by keyboard alone.
 */
export function SegmentBuilder({
  value,
  onChange,
  label = "Accounts",
}: {
  value: Segment;
  onChange: (next: Segment) => void;
  label?: string;
}) {
  const summaryId = useId();
  const tiersLabelId = useId();
  const healthLabelId = useId();
  const set = <K extends keyof Segment>(key: K, next: Segment[K]) => {
    const draft: Segment = { ...value };
    if (next && next.length > 0) draft[key] = next;
    else delete draft[key];
    onChange(draft);
  };
  const users = useStaffUsers();
  const owners = useMemo(() => {
    const options = ownerOptions(users.users);
    // An owner already chosen but no longer listed stays visible (and removable).
    for (const id of value.ownerIds ?? []) {
      if (!options.some((option) => option.value === id)) options.push({ value: id, label: "Unknown user" });
    }
    return options;
  }, [users.users, value.ownerIds]);
  const summary = describeSegment(value);

  return (
    <Fieldset legend={label} aria-describedby={summaryId} variant="filled" data-testid="segment-builder">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <div>
            <Text id={tiersLabelId} size="sm" fw={500} mb={4}>
              Tier
            </Text>
            <Chip.Group
              multiple
              value={value.tiers ?? []}
              onChange={(next) => set("tiers", next as TSegmentTier[])}
            >
              <Group gap="xs" role="group" aria-labelledby={tiersLabelId}>
                {TIERS.map((tier) => (
                  <Chip key={tier.value} value={tier.value} size="sm">
                    {tier.label}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          </div>
          <div>
            <Text id={healthLabelId} size="sm" fw={500} mb={4}>
              Health
            </Text>
            <Chip.Group
              multiple
              value={value.healthBands ?? []}
              onChange={(next) => set("healthBands", next as TSegmentHealthBand[])}
            >
              <Group gap="xs" role="group" aria-labelledby={healthLabelId}>
                {HEALTH_BANDS.map((band) => (
                  <Chip key={band.value} value={band.value} size="sm" color={band.color}>
                    {band.label}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          </div>
          <MultiSelect
            label="Countries"
            placeholder={value.countries?.length ? "" : "Any country"}
            data={countryOptions()}
            value={value.countries ?? []}
            onChange={(next) => set("countries", next)}
            searchable
            clearable
            hidePickedOptions
            maxValues={250}
            nothingFoundMessage="No country matches"
          />
          <TagsInput
            label="Industries"
            placeholder={value.industries?.length ? "" : "Any industry (type, Enter)"}
            value={value.industries ?? []}
            onChange={(next) => set("industries", next)}
            maxTags={50}
            clearable
          />
          <TagsInput
            label="Products"
            description="Accounts entitled to it, or with a case about it in the last year"
            placeholder={value.products?.length ? "" : "Any product (type, Enter)"}
            value={value.products ?? []}
            onChange={(next) => set("products", next)}
            maxTags={50}
            clearable
          />
          <MultiSelect
            label="Account owners"
            description="Accounts these people manage"
            placeholder={value.ownerIds?.length ? "" : "Any owner"}
            data={owners}
            value={value.ownerIds ?? []}
            onChange={(next) => set("ownerIds", next)}
            searchable
            clearable
            hidePickedOptions
            nothingFoundMessage={users.isPending ? "Loading…" : "Nobody matches"}
          />
        </SimpleGrid>
        <AccountsMultiSelect value={value.accountIds ?? []} onChange={(next) => set("accountIds", next)} />
        <Text id={summaryId} size="sm" c="dimmed" data-testid="segment-summary" aria-live="polite">
          Affects: <strong>{summary}</strong>
        </Text>
      </Stack>
    </Fieldset>
  );
}

/** Named accounts: searched on the server as the user types (`GET /accounts?q=`). */
function AccountsMultiSelect({ value, onChange }: { value: string[]; onChange: (next: string[]) => void }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  // Names of accounts seen in results, so chosen ones keep their label after the search changes.
  const names = useRef(new Map<string, string>());
  const found = useQuery({
    queryKey: [...customerKeys.accountLists, "pick", q],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/accounts", {
          params: { query: { q: q || undefined, limit: 20, sort: "name" } },
          signal,
        }),
      ),
    staleTime: 30_000,
  });
  for (const account of found.data?.items ?? []) names.current.set(account.id, account.name);
  // Chosen accounts never seen in a search (an existing segment): fetch their names once each.
  const unknown = value.filter((id) => !names.current.has(id));
  const fetched = useQueries({
    queries: unknown.map((id) => ({
      queryKey: customerKeys.account(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrap(api.GET("/api/v1/accounts/{id}", { params: { path: { id } }, signal })),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  for (const result of fetched) if (result.data) names.current.set(result.data.id, result.data.name);
  // Cheap to build: at most 20 results plus the chosen ones.
  const options = (found.data?.items ?? []).map((account) => ({ value: account.id, label: account.name }));
  for (const id of value) {
    if (!options.some((option) => option.value === id)) {
      options.push({ value: id, label: names.current.get(id) ?? "Loading…" });
    }
  }
  return (
    <MultiSelect
      label="Named accounts"
      description="Only these accounts (combined with the fields above)"
      placeholder={value.length ? "" : "Search accounts…"}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      hidePickedOptions
      clearable
      maxValues={1000}
      nothingFoundMessage={found.isFetching ? "Searching…" : "No account matches"}
    />
  );
}
