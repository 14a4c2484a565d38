// The desk's filter form: status, paragraph and city, applied together.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { amendmentStatuses, amendmentStatusInWords } from "../../lib/words";

interface DeskFiltersProps {
  status: string;
  paragraph: string;
  city: string;
  paragraphs: { key: string; label: string }[];
  cities: { id: number; name: string; country: string }[];
  onApply: (filters: Record<string, string | undefined>) => void;
}

export function DeskFilters({ status, paragraph, city, paragraphs, cities, onApply }: DeskFiltersProps) {
  const { t } = useTranslation();
  const [s, setS] = useState(status);
  const [p, setP] = useState(paragraph);
  const [c, setC] = useState(city);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ status: s === "proposed" ? undefined : s, paragraph: p || undefined, city: c || undefined });
  }
  return (
    <form className="toolbar desk-filters" onSubmit={submit} aria-label={t("desk.filters.label")}>
      <div className="field field-inline">
        <label htmlFor="filter-status">{t("desk.filters.status")}</label>
        <select id="filter-status" value={s} onChange={(event) => setS(event.target.value)}>
          <option value="all">{t("desk.filters.allStatuses")}</option>
          {amendmentStatuses.map((status) => (
            <option key={status} value={status}>
              {amendmentStatusInWords(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="filter-paragraph">{t("desk.filters.paragraph")}</label>
        <select id="filter-paragraph" value={p} onChange={(event) => setP(event.target.value)}>
          <option value="">{t("desk.filters.allParagraphs")}</option>
          {paragraphs.map((option) => (
            <option key={option.key} value={option.key}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="filter-city">{t("desk.filters.city")}</label>
        <select id="filter-city" value={c} onChange={(event) => setC(event.target.value)}>
          <option value="">{t("desk.filters.allCities")}</option>
          {cities.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name} ({option.country})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button-secondary">
        {t("desk.filters.apply")}
      </button>
    </form>
  );
}
