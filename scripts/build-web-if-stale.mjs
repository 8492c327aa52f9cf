#!/usr/bin/env node
// Builds the web app (vite build) when web/dist is missing or older than any source file,
// so `npm start` on a fresh checkout or after a pull always serves the current UI.
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "web");
const built = path.join(web, "dist", "index.html");

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return latest;
}

const stale = !fs.existsSync(built) || fs.statSync(built).mtimeMs < newest(web);
if (stale) {
  console.log("Building the web app (web/dist)…");
  execSync("npx vite build --config web/vite.config.ts --logLevel warn", { cwd: root, stdio: "inherit" });
}
