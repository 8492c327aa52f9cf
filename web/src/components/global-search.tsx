import { TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { type FormEvent, type Ref, useState } from "react";
import { useNavigate } from "react-router-dom";

/**
 * The header search box. `/` focuses it from anywhere (see AppLayout). Enter searches the case
 * queue (subjects, descriptions, numbers): `/cases?q=…`, which the queue reads from the URL.
 */
export function GlobalSearch({ className, ref }: { className?: string; ref?: Ref<HTMLInputElement> }) {
  const [query, setQuery] = useState("");
  const navigate = useNavigate();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = query.trim();
    if (!text) return;
    navigate(`/cases?${new URLSearchParams({ q: text })}`);
    setQuery("");
  }

  return (
    <search className={className}>
      <form onSubmit={onSubmit}>
        <TextInput
          ref={ref}
          type="search"
          aria-label="Search cases"
          placeholder="Search cases… ( / )"
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
