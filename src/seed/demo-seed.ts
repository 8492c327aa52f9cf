import type { Container } from "../container.ts";

export type DemoLogin = { email: string; password: string; role: string };

export async function seedDemo(
  _c: Container,
  _options: { seed: number; progress: boolean },
): Promise<DemoLogin[]> {
  throw new Error("not yet written");
}
