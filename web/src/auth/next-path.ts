/**
 * Where to go after signing in. Only same-origin paths are accepted, so a crafted
 * `/login?next=https://evil.example` cannot bounce a user off-site.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (raw === "/login" || raw.startsWith("/login?") || raw.startsWith("/login/")) return "/";
  return raw;
}

export function loginPathFor(location: { pathname: string; search: string; hash: string }): string {
  const next = `${location.pathname}${location.search}${location.hash}`;
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}
