import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { ErrorMessage } from "../components/ErrorMessage";
import { LanguagePicker } from "../components/LanguagePicker";
import { formatDate, roleInWords } from "../lib/words";
import { CATALOGUES, chooseLanguage, LANGUAGES } from ".";

function keys(catalogue: object, prefix = ""): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

afterEach(async () => {
  cleanup();
  await chooseLanguage("en");
  localStorage.clear();
});

describe("the app in the six UN languages", () => {
  it("has every message in every catalogue", () => {
    const english = keys(CATALOGUES.en!).sort();
    expect(english).toContain("layout.signOut");
    expect(Object.keys(CATALOGUES).sort()).toEqual(["ar", "en", "es", "fr", "ru", "zh"]);
    for (const language of LANGUAGES) expect(keys(CATALOGUES[language.code]!).sort()).toEqual(english);
  });

  it("lays Arabic out right to left and remembers the choice", async () => {
    await chooseLanguage("ar");
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ar");
    expect(localStorage.getItem("concord.language")).toBe("ar");
    expect(roleInWords("mayor")).toBe("عمدة أو حاكم");
    await chooseLanguage("fr");
    expect(document.documentElement.dir).toBe("ltr");
  });

  it("writes dates in the reader's locale", async () => {
    expect(formatDate("2026-12-06T08:50:00Z")).toMatch(/Dec 2026/);
    await chooseLanguage("fr");
    expect(formatDate("2026-12-06T08:50:00Z")).toMatch(/déc\. 2026/);
  });

  it("translates an API error's code and keeps the server's English sentence", async () => {
    await chooseLanguage("es");
    render(<ErrorMessage error={new ApiError(401, "bad_password", "The password is wrong.")} />);
    expect(screen.getByText("La contraseña no es correcta.")).toBeInTheDocument();
    expect(screen.getByText("The password is wrong.")).toHaveAttribute("lang", "en");
  });

  it("offers each language in its own name", () => {
    render(<LanguagePicker />);
    expect(screen.getByRole("option", { name: "العربية" })).toHaveAttribute("dir", "rtl");
    expect(screen.getByRole("option", { name: "中文" })).toBeInTheDocument();
  });
});
