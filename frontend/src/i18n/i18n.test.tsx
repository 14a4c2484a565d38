import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { ErrorMessage } from "../components/ErrorMessage";
import { LanguagePicker } from "../components/LanguagePicker";
import { formatDate, roleInWords } from "../lib/words";
import i18next, { CATALOGUES, chooseLanguage, LANGUAGES } from ".";

function keys(catalogue: object, prefix = ""): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** A catalogue's keys with plural forms gathered under their stem ("view.comments_one" -> "view.comments"). */
function stems(catalogue: object): string[] {
  return [...new Set(keys(catalogue).map((key) => key.replace(PLURAL, "")))].sort();
}

/** Each counted message's forms, by stem: {"view.comments": ["one", "other"]}. */
function pluralForms(catalogue: object): Map<string, string[]> {
  const forms = new Map<string, string[]>();
  for (const key of keys(catalogue)) {
    const found = PLURAL.exec(key);
    if (found) forms.set(key.replace(PLURAL, ""), [...(forms.get(key.replace(PLURAL, "")) ?? []), found[1]!]);
  }
  return forms;
}

afterEach(async () => {
  cleanup();
  await chooseLanguage("en");
  localStorage.clear();
});

describe("the app in the six UN languages", () => {
  it("has every message in every catalogue", () => {
    const english = stems(CATALOGUES.en!);
    expect(english).toContain("layout.signOut");
    expect(Object.keys(CATALOGUES).sort()).toEqual(["ar", "en", "es", "fr", "ru", "zh"]);
    for (const language of LANGUAGES) expect(stems(CATALOGUES[language.code]!)).toEqual(english);
  });

  it("has every plural form each language's grammar asks for, and no other", () => {
    for (const language of LANGUAGES) {
      const categories = new Intl.PluralRules(language.code).resolvedOptions().pluralCategories;
      const wanted = [...categories].sort();
      const counted = [...pluralForms(CATALOGUES[language.code]!).keys()].sort();
      expect({ language: language.code, counted }).toEqual({ language: language.code, counted: [...pluralForms(CATALOGUES.en!).keys()].sort() });
      for (const [stem, forms] of pluralForms(CATALOGUES[language.code]!)) {
        expect({ language: language.code, stem, forms: forms.sort() }).toEqual({ language: language.code, stem, forms: wanted });
      }
    }
  });

  it("counts in each language's grammar, digits in its locale", () => {
    const comments = (lng: string, count: number) => i18next.t("reading.view.comments", { lng, count });
    expect(comments("en", 1)).toBe("1 comment");
    expect(comments("ru", 3)).toBe("3 комментария");
    expect(comments("ru", 5)).toBe("5 комментариев");
    expect(comments("ru", 21)).toBe("21 комментарий");
    expect(comments("ar", 2)).toBe("تعليقان");
    expect(comments("ar", 11)).toBe("11 تعليقًا");
    expect(comments("fr", 1200)).toBe("1\u202f200 commentaires");
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
