// A version's text as a reader expects it: headings as headings, paragraphs numbered in the margin.
import { useTranslation } from "react-i18next";
import type { Paragraph } from "../api/types";
import { paragraphNumbers } from "../lib/numbering";

interface DeclarationTextProps {
  paragraphs: readonly Paragraph[];
  label: string;
}

export function DeclarationText({ paragraphs, label }: DeclarationTextProps) {
  const { t } = useTranslation();
  const numbers = paragraphNumbers(paragraphs);
  if (paragraphs.length === 0) return <p>{t("reading.text.empty")}</p>;
  return (
    <article className="document" aria-label={label}>
      {paragraphs.map((paragraph, index) =>
        paragraph.kind === "heading" ? (
          <h2 key={paragraph.key} id={`p-${paragraph.key}`} className="document-heading" dir="auto">
            {paragraph.text}
          </h2>
        ) : (
          <div key={paragraph.key} id={`p-${paragraph.key}`} className="document-paragraph">
            <span className="paragraph-number">{numbers[index]}.</span>
            <p dir="auto">{paragraph.text}</p>
          </div>
        ),
      )}
    </article>
  );
}
