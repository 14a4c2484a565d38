// Fails when src/api/schema.d.ts is not what openapi-typescript makes of openapi.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const committed = join(root, "src", "api", "schema.d.ts");
const scratch = mkdtempSync(join(tmpdir(), "concord-api-"));
const fresh = join(scratch, "schema.d.ts");
try {
  const bin = join(root, "node_modules", ".bin", "openapi-typescript");
  execFileSync(bin, [join(root, "openapi.json"), "-o", fresh], { stdio: ["ignore", "ignore", "inherit"] });
  if (readFileSync(fresh, "utf8") !== readFileSync(committed, "utf8")) {
    console.error(
      "src/api/schema.d.ts is out of date with openapi.json: run `npm run gen-api` and commit the result.",
    );
    process.exitCode = 1;
  } else {
    console.log("src/api/schema.d.ts matches openapi.json");
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
