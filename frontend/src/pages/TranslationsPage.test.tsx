import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import { chooseLanguage } from "../i18n";
import { TranslationsPage } from "./TranslationsPage";

const declaration = {
  id: 7, title: "Covenant", status: "drafting", head_version: 2, final_version: null, language: "en",
  authentic_languages: [], final_hash: null, created_at: "2026-12-01T10:00:00Z",
};
const version = {
  number: 2, created_at: "2026-12-01T10:00:00Z", author: { id: 1, name: "Ana", role: "co_facilitator" }, note: null,
  content_hash: "sha256:00", merged_amendments: [],
  paragraphs: [
    { key: "a", position: 1, kind: "heading", text: "Our Pledge" },
    { key: "b", position: 2, kind: "paragraph", text: "We pledge to act." },
    { key: "c", position: 3, kind: "paragraph", text: "A new paragraph." },
  ],
};
const translation = {
  language: "ar", direction: "rtl", version: 2, saved: true, current: 1, outdated: 1, missing: 1, alignment: null,
  paragraphs: [
    { key: "a", kind: "heading", source: "Our Pledge", text: "تعهدنا", state: "current", translated_version: 2 },
    { key: "b", kind: "paragraph", source: "We pledge to act.", text: "نتعهد بالعمل", state: "outdated",
      translated_version: 1, source_diff: [["equal", "We pledge to "], ["delete", "work"], ["insert", "act"], ["equal", "."]] },
    { key: "c", kind: "paragraph", source: "A new paragraph.", text: null, state: "missing", translated_version: null },
  ],
};
// Three queries answer before the page shows the text; a loaded machine needs more than 1 s.
const LOADED = { timeout: 5000 };
const me = { id: 1, email: "a@b.c", name: "Ana", role: "co_facilitator", title: null, city: null };

function answer(body: unknown) {
  return { data: body, error: undefined, response: new Response(null, { status: 200 }) } as never;
}

function renderAt(url: string) {
  vi.spyOn(api, "GET").mockImplementation(((path: string) => {
    if (path === "/api/me") return Promise.resolve(answer(me));
    if (path === "/api/declarations/{declaration_id}") return Promise.resolve(answer(declaration));
    if (path === "/api/declarations/{declaration_id}/versions/{number}") return Promise.resolve(answer(version));
    if (path === "/api/declarations/{declaration_id}/translations") {
      return Promise.resolve(answer([{ language: "ar", direction: "rtl", version: 2, authentic: false, current: 1, outdated: 1, missing: 1 }]));
    }
    return Promise.resolve(answer(translation));
  }) as never);
  const router = createMemoryRouter([{ path: "/declarations/:declarationId/translations", element: <TranslationsPage /> }], {
    initialEntries: [url],
  });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

afterEach(async () => {
  vi.restoreAllMocks();
  await chooseLanguage("en");
  localStorage.clear();
});

describe("TranslationsPage", () => {
  it("sets each column in its own language and direction", async () => {
    renderAt("/declarations/7/translations?lang=ar&view=side");
    const arabic = await screen.findByText("تعهدنا", undefined, LOADED);
    expect(arabic.closest(".bilingual-translation")).toHaveAttribute("dir", "rtl");
    expect(arabic.closest(".bilingual-translation")).toHaveAttribute("lang", "ar");
    expect(screen.getByText("Our Pledge", { selector: ".bilingual-source" })).toHaveAttribute("lang", "en");
    expect(screen.getByText("(not translated yet)")).toBeInTheDocument();
    expect(screen.getByText("outdated since version 1")).toBeInTheDocument();
  });

  it("walks the translator through the outdated and missing paragraphs with the source's change", async () => {
    renderAt("/declarations/7/translations?lang=ar&view=translator");
    expect(await screen.findByRole("heading", { name: "Paragraph 1 of 2 to translate (outdated)" }, LOADED)).toBeInTheDocument();
    expect(screen.getByText("act", { selector: "ins" })).toBeInTheDocument();
    expect(screen.getByText("work", { selector: "del" })).toBeInTheDocument();
    expect(screen.getByLabelText("Translation (ar)")).toHaveAttribute("dir", "rtl");
    await userEvent.setup().click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByRole("heading", { name: "Paragraph 2 of 2 to translate (missing)" }, LOADED)).toBeInTheDocument();
  });

  it("lets a translator correct a current paragraph side by side, saved by its key", async () => {
    const put = vi.spyOn(api, "PUT").mockImplementation((() =>
      Promise.resolve(answer({ ...translation, paragraphs: [{ ...translation.paragraphs[0], text: "عهدنا" }, ...translation.paragraphs.slice(1)] }))) as never);
    renderAt("/declarations/7/translations?lang=ar&view=side");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Edit the translation of the heading “Our Pledge”" }, LOADED));
    const field = screen.getByLabelText("Edit the translation of the heading “Our Pledge”");
    expect(field).toHaveValue("تعهدنا");
    expect(field).toHaveAttribute("dir", "rtl");
    await user.clear(field);
    await user.paste("عهدنا");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("The heading “Our Pledge” saved.", undefined, LOADED)).toBeInTheDocument();
    expect(put).toHaveBeenCalledWith(
      "/api/declarations/{declaration_id}/versions/{number}/translations/{language}",
      expect.objectContaining({ body: { paragraphs: [{ key: "a", text: "عهدنا" }], dry_run: false } }),
    );
    expect(screen.queryByRole("textbox", { name: "Edit the translation of the heading “Our Pledge”" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Edit the translation of paragraph 1" })).toBeInTheDocument();
  }, 15_000);

  it("offers the translation as Word to every reader, and no Edit in the translation alone", async () => {
    renderAt("/declarations/7/translations?lang=ar&view=alone");
    expect(await screen.findByRole("button", { name: "Download as Word (.docx)" }, LOADED)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Edit the translation/ })).not.toBeInTheDocument();
  });

  it("saves a Word file downloaded from Concord with paragraphs left empty: they keep what they have", async () => {
    const preview = {
      ...translation,
      saved: false,
      alignment: { beads: [{ keys: ["a"], uploaded: [1], texts: ["تعهدنا"], doubtful: false }], left_over: [], unmatched_keys: ["b", "c"], by_key: true },
    };
    vi.spyOn(api, "PUT").mockImplementation((() => Promise.resolve(answer(preview))) as never);
    renderAt("/declarations/7/translations?lang=ar&view=upload");
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText(/Paste the translation/, undefined, LOADED));
    await user.paste("تعهدنا");
    await user.click(screen.getByRole("button", { name: "Align and review" }));
    expect(await screen.findByText(/Paragraphs left empty in the file keep what they have: 2\./, undefined, LOADED)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save this translation" })).toBeEnabled();
  }, 15_000);

  it("speaks Arabic to an Arabic reader, the language tags kept as codes", async () => {
    await chooseLanguage("ar");
    renderAt("/declarations/7/translations?lang=ar&view=translator");
    expect(await screen.findByRole("heading", { name: "الفقرة 1 من 2 المطلوب ترجمتها (متقادمة)" }, LOADED)).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "النص المصدر، وقد تغيّر منذ النسخة 1" })).toBeInTheDocument();
    expect(screen.getByLabelText("الترجمة (ar)")).toHaveAttribute("dir", "rtl");
    expect(screen.getByText("ar", { selector: "label bdi" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "حفظ هذه الفقرة" })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "ذات حجية" })).toBeInTheDocument();
  });

  it("counts the alignment in the reader's grammar: Russian", async () => {
    const beads = [
      { keys: ["a"], uploaded: [1], texts: ["Наше обязательство"], doubtful: false },
      { keys: ["b"], uploaded: [2, 3], texts: ["Мы", "обязуемся"], doubtful: true },
      { keys: ["c"], uploaded: [4], texts: ["Новый абзац."], doubtful: false },
      { keys: [], uploaded: [5], texts: ["Лишнее."], doubtful: false },
    ];
    const preview = { ...translation, language: "ru", direction: "ltr", saved: false, alignment: { beads, left_over: [5], unmatched_keys: [], by_key: false } };
    vi.spyOn(api, "PUT").mockImplementation((() => Promise.resolve(answer(preview))) as never);
    await chooseLanguage("ru");
    renderAt("/declarations/7/translations?lang=ar&view=upload");
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText(/Вставьте перевод/, undefined, LOADED));
    await user.paste("Наше обязательство");
    await user.click(screen.getByRole("button", { name: "Выровнять и проверить" }));
    expect(
      await screen.findByText(
        "2 абзаца сопоставлены один к одному, 1 абзац разделён переводчиком, 0 абзацев объединены; 1 сопоставление требует проверки. Лишние загруженные абзацы: 5.",
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText("ничего: лишний абзац")).toHaveAttribute("lang", "ru");
    expect(screen.getByRole("button", { name: "Сохранить этот перевод" })).toBeDisabled();
  }, 15_000);
});
