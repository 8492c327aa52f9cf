import { TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconSearch } from "@tabler/icons-react";
import { type FormEvent, type Ref, useState } from "react";
import { useAnnounce } from "./live-region";

const NOT_YET = "Search arrives with the case queue in a later release.";

/** The header search box. `/` focuses it from anywhere (see AppLayout). */
export function GlobalSearch({ className, ref }: { className?: string; ref?: Ref<HTMLInputElement> }) {
  const [query, setQuery] = useState("");
  const announce = useAnnounce();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!query.trim()) return;
    // Honest until the search API exists: say so rather than show an empty result.
    notifications.show({ id: "search-not-yet", title: "Not available yet", message: NOT_YET, color: "gray" });
    announce(NOT_YET);
  }

  return (
    <search className={className}>
      <form onSubmit={onSubmit}>
        <TextInput
          ref={ref}
          type="search"
          aria-label="Search"
          placeholder="Search cases, customers… ( / )"
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") event.currentTarget.blur();
          }}
          leftSection={<IconSearch size={16} stroke={1.8} aria-hidden />}
          radius="md"
          size="sm"
          autoComplete="off"
          spellCheck={false}
          styles={{ input: { backgroundColor: "var(--kd-surface-sunken)" } }}
        />
      </form>
    </search>
  );
}
