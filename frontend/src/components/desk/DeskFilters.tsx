// The desk's filter form: status, paragraph and city, applied together.
import { useState, type FormEvent } from "react";
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
  const [s, setS] = useState(status);
  const [p, setP] = useState(paragraph);
  const [c, setC] = useState(city);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ status: s === "proposed" ? undefined : s, paragraph: p || undefined, city: c || undefined });
  }
  return (
    <form className="toolbar desk-filters" onSubmit={submit} aria-label="Filter amendments">
      <div className="field field-inline">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" value={s} onChange={(event) => setS(event.target.value)}>
          <option value="all">All</option>
          {amendmentStatuses.map((status) => (
            <option key={status} value={status}>
              {amendmentStatusInWords(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="filter-paragraph">Paragraph</label>
        <select id="filter-paragraph" value={p} onChange={(event) => setP(event.target.value)}>
          <option value="">All paragraphs</option>
          {paragraphs.map((option) => (
            <option key={option.key} value={option.key}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="filter-city">City</label>
        <select id="filter-city" value={c} onChange={(event) => setC(event.target.value)}>
          <option value="">All cities</option>
          {cities.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name} ({option.country})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button-secondary">
        Filter
      </button>
    </form>
  );
}
