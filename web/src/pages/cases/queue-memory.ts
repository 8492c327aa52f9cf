/**
 * What the queue remembers while a case is open, so Esc comes back to the same list, scrolled
 * to the same place, with the same row active and the same rows selected; and so "Send & next"
 * knows which case comes next. One per tab (module state), gone on reload like a scroll position.
 */
type TQueueMemory = {
  /** The list's address, "?view=mine&q=…". */
  search: string;
  scrollY: number;
  activeId: string | null;
  selected: ReadonlySet<string>;
  /** The list's cases in order, as last shown. */
  order: readonly string[];
};

const memory: TQueueMemory = {
  search: "",
  scrollY: 0,
  activeId: null,
  selected: new Set(),
  order: [],
};

export function queueMemory(): Readonly<TQueueMemory> {
  return memory;
}

export function rememberQueue(patch: Partial<TQueueMemory>): void {
  Object.assign(memory, patch);
}

/** The list to go back to. */
export function queuePath(): string {
  return `/cases${memory.search}`;
}

/** The case after `id` in the list last shown (wrapping to none at the end). */
export function nextCaseId(id: string): string | null {
  const index = memory.order.indexOf(id);
  if (index === -1) return memory.order[0] && memory.order[0] !== id ? memory.order[0] : null;
  return memory.order[index + 1] ?? null;
}
