import { describe, expect, it } from "vitest";
import { formatDateTime } from "./words";

describe("formatDateTime", () => {
  it("names the time zone", () => {
    // The test run's zone is whatever the machine's is; its name is shown either way.
    const shown = formatDateTime("2026-12-06T08:50:00Z");
    const zone = new Intl.DateTimeFormat("en-GB", { timeZoneName: "short" })
      .formatToParts(new Date("2026-12-06T08:50:00Z"))
      .find((part) => part.type === "timeZoneName")?.value;
    expect(zone).toBeTruthy();
    expect(shown).toContain(zone);
    expect(shown).toMatch(/6 Dec 2026/);
  });
});
