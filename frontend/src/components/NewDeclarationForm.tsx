// Start a declaration from a title and a text (pasted or read from a file); version 1 is the text.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import { keys } from "../api/queries";
import { DraftTextField } from "./DraftTextField";
import { ErrorMessage } from "./ErrorMessage";

export function NewDeclarationForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const [language, setLanguage] = useState("en");
  const [errors, setErrors] = useState<{ title?: string; text?: string }>({});

  const create = useMutation({
    mutationFn: (body: { title: string; text: string; language: string }) =>
      unwrap(api.POST("/api/declarations", { body })),
    onSuccess: async (declaration) => {
      await queryClient.invalidateQueries({ queryKey: keys.declarations });
      navigate(`/declarations/${declaration.id}`);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: { title?: string; text?: string } = {};
    if (!title.trim()) found.title = t("drafts.giveTitle");
    if (!text.trim()) found.text = t("drafts.giveText");
    setErrors(found);
    if (found.title || found.text) return;
    create.mutate({ title: title.trim(), text, language: language.trim() || "en" });
  }

  return (
    <details className="panel disclosure">
      <summary>{t("drafts.new")}</summary>
      <form onSubmit={submit} noValidate aria-label={t("drafts.new")}>
        <div className="field">
          <label htmlFor="new-title">{t("drafts.title")}</label>
          {errors.title && (
            <p className="field-error" id="new-title-error">
              {errors.title}
            </p>
          )}
          <input
            id="new-title"
            type="text"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            maxLength={200}
            dir="auto"
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={errors.title ? "new-title-error" : undefined}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="new-language">{t("drafts.language")}</label>
          <input
            id="new-language"
            type="text"
            value={language}
            onChange={(event) => setLanguage(event.target.value)}
            maxLength={35}
            size={8}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <DraftTextField label={t("drafts.text")} value={text} onChange={setText} error={errors.text} />
        <ErrorMessage error={create.error} />
        <button type="submit" className="button-primary" disabled={create.isPending}>
          {create.isPending ? t("drafts.creating") : t("drafts.create")}
        </button>
      </form>
    </details>
  );
}
