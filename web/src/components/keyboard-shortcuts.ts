import { useLocalStorage } from "@mantine/hooks";
import { useEffect, useRef } from "react";

/** A sequence like ["g", "i"], matched against KeyboardEvent.key values. */
export type TKeySequence = readonly string[];

export type TShortcut = {
  keys: TKeySequence;
  run: () => void;
};

const SEQUENCE_TIMEOUT_MS = 1200;

/** True when typing into the target should never be read as a shortcut. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(
      target.type,
    );
  }
  return target.closest("[contenteditable=''], [contenteditable='true'], [role='textbox']") !== null;
}

/** Single-key shortcuts can be switched off (WCAG 2.1.4); the choice is kept per browser. */
export function useSingleKeyShortcutsSetting() {
  return useLocalStorage<boolean>({
    key: "keepdesk:single-key-shortcuts",
    defaultValue: true,
    getInitialValueInEffect: false,
  });
}

/**
 * Listens for single-key shortcuts and two-key sequences (`g i`). They act only when no text
 * field has focus, no dialog is open, and no Ctrl/⌘/Alt modifier is held (FreeScout #992).
 * Shift is allowed for symbols such as `?`, which need it on most layouts, but not for letters.
 */
export function useKeyboardShortcuts(shortcuts: readonly TShortcut[], enabled: boolean): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;

  useEffect(() => {
    if (!enabled) return;
    let pending: string[] = [];
    let pendingSince = 0;

    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing || event.repeat) return;
      if (event.ctrlKey || event.metaKey || event.altKey) {
        pending = [];
        return;
      }
      if (isEditableTarget(event.target)) return;
      if (document.querySelector("[role='dialog'][aria-modal='true'], [role='menu']")) return;

      const key = event.key;
      if (key.length !== 1) return;
      if (event.shiftKey && /^[a-z]$/i.test(key)) return;

      if (pending.length > 0 && event.timeStamp - pendingSince > SEQUENCE_TIMEOUT_MS) pending = [];
      // Continue a started sequence; if the key does not continue it, try it on its own.
      const attempts = pending.length > 0 ? [[...pending, key], [key]] : [[key]];
      pending = [];
      for (const typed of attempts) {
        const exact = latest.current.find((shortcut) => sameSequence(shortcut.keys, typed));
        if (exact) {
          event.preventDefault();
          exact.run();
          return;
        }
        if (latest.current.some((shortcut) => startsWith(shortcut.keys, typed))) {
          pending = typed;
          pendingSince = event.timeStamp;
          return;
        }
      }
    }

    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [enabled]);
}

function sameSequence(a: TKeySequence, b: TKeySequence): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

function startsWith(sequence: TKeySequence, prefix: TKeySequence): boolean {
  return sequence.length > prefix.length && prefix.every((key, index) => key === sequence[index]);
}
