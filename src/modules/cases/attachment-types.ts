import path from "node:path";

/**
 * What files a case accepts, and whether a file is what it claims to be. A file is stored only
 * when its declared type is on the allow-list and its first bytes match that type, so a page
 * of HTML renamed to `photo.png` never reaches another user's browser as an image.
 */

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_UPLOAD = 5;

type Kind = "png" | "jpeg" | "gif" | "webp" | "pdf" | "zip" | "ole" | "text";

const startsWith = (buf: Uint8Array, bytes: readonly number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

const SIGNATURES: Record<Exclude<Kind, "text">, (buf: Uint8Array) => boolean> = {
  png: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  jpeg: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  gif: (b) => startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a")),
  webp: (b) => startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8),
  pdf: (b) => startsWith(b, ascii("%PDF-")),
  // Local file header, or the end-of-central-directory record of an empty archive.
  zip: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]),
  // Compound File Binary: legacy .doc / .xls / .ppt / .msg.
  ole: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
};

/** Text has no NUL bytes and almost no other control characters (any 8-bit encoding passes). */
function looksLikeText(buf: Uint8Array): boolean {
  let controls = 0;
  const n = Math.min(buf.length, 64 * 1024);
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) controls++;
  }
  if (Object.values(SIGNATURES).some((matches) => matches(buf))) return false;
  return controls <= n / 100;
}

function matchesKind(kind: Kind, buf: Uint8Array): boolean {
  return kind === "text" ? looksLikeText(buf) : SIGNATURES[kind](buf);
}

/** The allow-list: declared content type → the bytes it must start with. */
export const ALLOWED_TYPES: Readonly<Record<string, { kind: Kind; label: string }>> = {
  "image/png": { kind: "png", label: "a PNG image" },
  "image/jpeg": { kind: "jpeg", label: "a JPEG image" },
  "image/gif": { kind: "gif", label: "a GIF image" },
  "image/webp": { kind: "webp", label: "a WebP image" },
  "application/pdf": { kind: "pdf", label: "a PDF document" },
  "application/zip": { kind: "zip", label: "a ZIP archive" },
  "application/x-zip-compressed": { kind: "zip", label: "a ZIP archive" },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
    kind: "zip",
    label: "a Word document",
  },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    kind: "zip",
    label: "an Excel workbook",
  },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": {
    kind: "zip",
    label: "a PowerPoint presentation",
  },
  "application/vnd.oasis.opendocument.text": { kind: "zip", label: "an OpenDocument text" },
  "application/vnd.oasis.opendocument.spreadsheet": { kind: "zip", label: "an OpenDocument spreadsheet" },
  "application/msword": { kind: "ole", label: "a Word document" },
  "application/vnd.ms-excel": { kind: "ole", label: "an Excel workbook" },
  "application/vnd.ms-outlook": { kind: "ole", label: "an Outlook message" },
  "text/plain": { kind: "text", label: "a text file" },
  "text/csv": { kind: "text", label: "a CSV file" },
  "text/markdown": { kind: "text", label: "a Markdown file" },
  "application/json": { kind: "text", label: "a JSON file" },
  "message/rfc822": { kind: "text", label: "an email message" },
};

/** When the client declares nothing useful, the type the bytes show, in order of preference. */
const DETECTED: [Kind, string][] = [
  ["png", "image/png"],
  ["jpeg", "image/jpeg"],
  ["gif", "image/gif"],
  ["webp", "image/webp"],
  ["pdf", "application/pdf"],
  ["zip", "application/zip"],
  ["text", "text/plain"],
];

export type SniffResult =
  | { ok: true; contentType: string }
  | { ok: false; reason: "empty" | "unsupported" | "mismatch"; message: string };

/** Checks a declared content type against the allow-list and the file's first bytes. */
export function checkFileType(declared: string | undefined, buf: Uint8Array): SniffResult {
  if (buf.length === 0) return { ok: false, reason: "empty", message: "the file is empty" };
  const type = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "" || type === "application/octet-stream") {
    const found = DETECTED.find(([kind]) => matchesKind(kind, buf));
    if (found) return { ok: true, contentType: found[1] };
    return {
      ok: false,
      reason: "unsupported",
      message: "the file's type could not be recognised; send one of the accepted types",
    };
  }
  const allowed = ALLOWED_TYPES[type];
  if (!allowed) {
    return { ok: false, reason: "unsupported", message: `${type} files are not accepted` };
  }
  if (!matchesKind(allowed.kind, buf)) {
    return {
      ok: false,
      reason: "mismatch",
      message: `the file is declared as ${type} but is not ${allowed.label}`,
    };
  }
  return { ok: true, contentType: type };
}

/** A filename safe to store and to put in a header: no directories, no control characters. */
export function cleanFilename(name: string | undefined): string {
  const base = path.posix.basename(path.win32.basename(name ?? ""));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f"\\]/g, "").trim();
  const safe = cleaned === "" || cleaned === "." || cleaned === ".." ? "attachment" : cleaned;
  return safe.length > 200 ? safe.slice(safe.length - 200) : safe;
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266), the ASCII fallback stripped of anything odd. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Downloads live outside the case path, so a link survives the case being merged. */
export function attachmentUrl(id: string): string {
  return `/api/v1/attachments/${id}`;
}
