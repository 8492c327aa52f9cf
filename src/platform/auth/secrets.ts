import { createHash, timingSafeEqual } from "node:crypto";

/** Session cookies and API tokens are high-entropy secrets: a plain SHA-256 is the right hash. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
