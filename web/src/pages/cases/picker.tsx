import { Combobox, Group, Kbd, Text, Tooltip, UnstyledButton, useCombobox } from "@mantine/core";
import { IconCheck, IconChevronDown } from "@tabler/icons-react";
import { type ReactNode, type Ref, useEffect, useImperativeHandle, useState } from "react";
import classes from "./cases.module.css";

export type TPickerOption = {
  value: string;
  label: string;
  icon?: ReactNode;
  /** Shown dimmed after the label. */
  hint?: string;
};

export type TPickerHandle = { open: () => void };

/**
 * A compact button that opens a list to pick from (status, priority, owner), like Linear's
 * property chips. After a choice focus returns to the button, so single-key shortcuts keep
 * working. `shortcut` is shown in the tooltip and read by screen readers.
 */
export function Picker({
  label,
  value,
  options,
  onChange,
  searchable = false,
  shortcut,
  display,
  disabled,
  empty = "Nothing matches",
  footer,
  testId,
  ref,
}: {
  label: string;
  value: string | null;
  options: readonly TPickerOption[];
  onChange: (value: string) => void;
  searchable?: boolean;
  shortcut?: string;
  /** What the button shows; the chosen option's icon and label when absent. */
  display?: ReactNode;
  disabled?: boolean;
  empty?: string;
  footer?: ReactNode;
  testId?: string;
  ref?: Ref<TPickerHandle>;
}) {
  const [search, setSearch] = useState("");
  const combobox = useCombobox({
    onDropdownClose: () => {
      combobox.resetSelectedOption();
      setSearch("");
    },
    onDropdownOpen: () => {
      if (searchable) combobox.focusSearchInput();
      const index = options.findIndex((option) => option.value === value);
      combobox.updateSelectedOptionIndex(index >= 0 ? index : 0);
      if (index < 0) combobox.selectFirstOption();
    },
  });

  // Typing narrows the list: Enter then takes the first match.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store is a new object each render.
  useEffect(() => {
    if (search) combobox.selectFirstOption();
  }, [search]);

  useImperativeHandle(ref, () => ({
    open: () => {
      combobox.focusTarget();
      combobox.openDropdown();
    },
  }));

  const current = options.find((option) => option.value === value);
  const needle = search.trim().toLowerCase();
  const visible = needle ? options.filter((option) => option.label.toLowerCase().includes(needle)) : options;

  const button = (
    <UnstyledButton
      className={classes.picker}
      onClick={() => combobox.toggleDropdown()}
      disabled={disabled}
      aria-label={`${label}: ${current?.label ?? "none"}${shortcut ? ` (${shortcut})` : ""}`}
      aria-keyshortcuts={shortcut}
      data-testid={testId}
    >
      {display ?? (
        <>
          {current?.icon}
          <span className={classes.pickerValue}>{current?.label ?? "None"}</span>
        </>
      )}
      <IconChevronDown size={14} stroke={1.8} className={classes.pickerChevron} aria-hidden />
    </UnstyledButton>
  );

  const picker = (
    <Combobox
      store={combobox}
      width={searchable ? 260 : 220}
      position="bottom-start"
      shadow="md"
      onOptionSubmit={(next) => {
        combobox.closeDropdown();
        combobox.focusTarget();
        if (next !== value) onChange(next);
      }}
    >
      <Combobox.Target targetType="button">{button}</Combobox.Target>
      <Combobox.Dropdown>
        {searchable ? (
          <Combobox.Search
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              combobox.updateSelectedOptionIndex();
            }}
            placeholder="Search…"
            aria-label={`Search ${label.toLowerCase()}`}
          />
        ) : null}
        <Combobox.Options aria-label={label} mah={320} style={{ overflowY: "auto" }}>
          {visible.length === 0 ? <Combobox.Empty>{empty}</Combobox.Empty> : null}
          {visible.map((option) => (
            <Combobox.Option
              key={option.value}
              value={option.value}
              active={option.value === value}
              className={classes.pickerOption}
            >
              <Group gap={8} wrap="nowrap">
                {option.icon}
                <Text size="sm" span className={classes.pickerOptionLabel}>
                  {option.label}
                </Text>
                {option.hint ? (
                  <Text size="xs" c="dimmed" span>
                    {option.hint}
                  </Text>
                ) : null}
                {option.value === value ? (
                  <IconCheck size={14} stroke={2} className={classes.pickerCheck} aria-hidden />
                ) : null}
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
        {footer ? <Combobox.Footer>{footer}</Combobox.Footer> : null}
      </Combobox.Dropdown>
    </Combobox>
  );

  if (!shortcut) return picker;
  // The tooltip sits on a wrapper: hover and focus reach it from the button by bubbling.
  return (
    <Tooltip
      disabled={combobox.dropdownOpened}
      label={
        <Group gap={6} wrap="nowrap">
          <span>{label}</span>
          <Kbd size="xs">{shortcut}</Kbd>
        </Group>
      }
    >
      <span className={classes.pickerWrap}>{picker}</span>
    </Tooltip>
  );
}

/**
 * A filter as a chip: "Priority: Urgent, High ▾". Opens a list; with `multiple` each option
 * toggles and the list stays open. Clearing returns to "any".
 */
export function FilterChip({
  label,
  values,
  options,
  onChange,
  multiple = false,
  searchable = false,
  anyLabel = "Any",
  quietAny = anyLabel,
  testId,
}: {
  label: string;
  values: readonly string[];
  options: readonly TPickerOption[];
  onChange: (values: string[]) => void;
  multiple?: boolean;
  searchable?: boolean;
  anyLabel?: string;
  /** When nothing is chosen and anyLabel is this, the chip shows its label alone. */
  quietAny?: string;
  testId?: string;
}) {
  const [search, setSearch] = useState("");
  const combobox = useCombobox({
    onDropdownClose: () => {
      combobox.resetSelectedOption();
      setSearch("");
    },
    onDropdownOpen: () => {
      if (searchable) combobox.focusSearchInput();
      combobox.selectFirstOption();
    },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store is a new object each render.
  useEffect(() => {
    if (search) combobox.selectFirstOption();
  }, [search]);
  const chosen = options.filter((option) => values.includes(option.value));
  const summary =
    chosen.length === 0
      ? anyLabel
      : chosen.length <= 2
        ? chosen.map((option) => option.label).join(", ")
        : `${chosen[0]?.label} +${chosen.length - 1}`;
  const needle = search.trim().toLowerCase();
  const visible = needle ? options.filter((option) => option.label.toLowerCase().includes(needle)) : options;

  return (
    <Combobox
      store={combobox}
      width={240}
      position="bottom-start"
      shadow="md"
      onOptionSubmit={(value) => {
        if (value === "__any") {
          onChange([]);
          combobox.closeDropdown();
          return;
        }
        if (multiple) {
          onChange(values.includes(value) ? values.filter((item) => item !== value) : [...values, value]);
        } else {
          onChange(values.includes(value) ? [] : [value]);
          combobox.closeDropdown();
        }
      }}
    >
      <Combobox.Target targetType="button">
        <UnstyledButton
          className={classes.filterChip}
          data-active={chosen.length > 0 || undefined}
          onClick={() => combobox.toggleDropdown()}
          aria-label={`${label}: ${summary}`}
          data-testid={testId}
        >
          <span className={classes.filterChipLabel}>{label}</span>
          {chosen.length > 0 || quietAny !== anyLabel ? (
            <span className={classes.filterChipValue}>{summary}</span>
          ) : null}
          <IconChevronDown size={13} stroke={1.8} aria-hidden />
        </UnstyledButton>
      </Combobox.Target>
      <Combobox.Dropdown>
        {searchable ? (
          <Combobox.Search
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              combobox.updateSelectedOptionIndex();
            }}
            placeholder="Search…"
            aria-label={`Search ${label.toLowerCase()}`}
          />
        ) : null}
        <Combobox.Options
          aria-label={label}
          aria-multiselectable={multiple || undefined}
          mah={320}
          style={{ overflowY: "auto" }}
        >
          <Combobox.Option value="__any" active={values.length === 0} className={classes.pickerOption}>
            <Group gap={8} wrap="nowrap">
              <Text size="sm" span className={classes.pickerOptionLabel}>
                {anyLabel}
              </Text>
              {values.length === 0 ? (
                <IconCheck size={14} stroke={2} className={classes.pickerCheck} aria-hidden />
              ) : null}
            </Group>
          </Combobox.Option>
          {visible.length === 0 ? <Combobox.Empty>Nothing matches</Combobox.Empty> : null}
          {visible.map((option) => {
            const selected = values.includes(option.value);
            return (
              <Combobox.Option
                key={option.value}
                value={option.value}
                active={selected}
                aria-selected={selected}
                className={classes.pickerOption}
              >
                <Group gap={8} wrap="nowrap">
                  {option.icon}
                  <Text size="sm" span className={classes.pickerOptionLabel}>
                    {option.label}
                  </Text>
                  {option.hint ? (
                    <Text size="xs" c="dimmed" span>
                      {option.hint}
                    </Text>
                  ) : null}
                  {selected ? (
                    <IconCheck size={14} stroke={2} className={classes.pickerCheck} aria-hidden />
                  ) : null}
                </Group>
              </Combobox.Option>
            );
          })}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
