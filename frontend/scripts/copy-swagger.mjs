// Copies Swagger UI's assets from swagger-ui-dist into dist/swagger/ so /api/docs works offline.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const source = dirname(require.resolve("swagger-ui-dist/package.json"));
const target = join(root, "dist", "swagger");

if (!existsSync(join(target, "index.html"))) {
  throw new Error("dist/swagger/index.html is missing: run vite build first (it copies public/).");
}
mkdirSync(target, { recursive: true });
for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) {
  copyFileSync(join(source, file), join(target, file));
}
console.log(`copied Swagger UI ${require("swagger-ui-dist/package.json").version} to dist/swagger/`);
