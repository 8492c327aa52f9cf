import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api, unwrap } from "../api/client";
import { customerKeys, useAccount } from "../customers/api";

/** A searchable account select: the server searches names and domains as the user types. */
export function AccountPicker({
  value,
  onChange,
  label = "Account",
  placeholder = "Search accounts…",
  error,
  required,
  clearable = true,
  size,
  w,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  label?: string;
  placeholder?: string;
  error?: string | undefined;
  required?: boolean;
  clearable?: boolean;
  size?: "xs" | "sm";
  w?: number | string;
}) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const chosen = useAccount(value ?? "", { enabled: Boolean(value) });
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
  const options = useMemo(() => {
    const list = (found.data?.items ?? []).map((account) => ({ value: account.id, label: account.name }));
    if (chosen.data && !list.some((option) => option.value === chosen.data.id)) {
      list.unshift({ value: chosen.data.id, label: chosen.data.name });
    }
    return list;
  }, [found.data, chosen.data]);
  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      clearable={clearable}
      data={options}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={found.isFetching ? "Searching…" : "No account matches"}
      filter={({ options: all }) => all}
      error={error}
      required={required}
      size={size}
      w={w}
    />
  );
}
