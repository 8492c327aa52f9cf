import { initials } from "./case-format";
import classes from "./cases.module.css";

// Calm, distinct hues; white text on each is at least 4.5:1.
const HUES = ["#4257c4", "#7048e8", "#0b7285", "#2b8a3e", "#c2255c", "#a61e4d", "#5c6ac4", "#1864ab"];

function hueOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return HUES[hash % HUES.length] ?? "#4257c4";
}

/** Initials on a colour derived from the name. Decorative: the name is always beside it. */
export function OwnerAvatar({ name, size = 20 }: { name: string; size?: number }) {
  return (
    <span
      className={classes.avatar}
      style={{ width: size, height: size, fontSize: Math.round(size * 0.42), background: hueOf(name) }}
      aria-hidden
    >
      {initials(name)}
    </span>
  );
}
