import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The Fastify server either serves `web/dist` (production) or mounts Vite in middleware
// mode (development), so no dev proxy is configured here: the API is always same-origin.
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: "es2022",
    rolldownOptions: {
      output: {
        // Libraries change far less often than our code: keep them in their own long-cached files.
        codeSplitting: {
          groups: [
            {
              name: "react",
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/,
            },
            {
              name: "mantine",
              test: /node_modules[\\/](@mantine[\\/](?!charts)|@floating-ui|react-transition-group|react-remove-scroll|tslib)/,
            },
            // Charts (recharts and what it needs) load with the pages that draw them, not before.
            { name: "charts", test: /node_modules[\\/](@mantine[\\/]charts|recharts)[\\/]/ },
            { name: "data", test: /node_modules[\\/](@tanstack|openapi-fetch)[\\/]/ },
            { name: "vendor", test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
