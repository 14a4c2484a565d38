// The language of the app itself, among the six UN languages; remembered in this browser.
import { useTranslation } from "react-i18next";
import { chooseLanguage, LANGUAGES, type UiLanguage } from "../i18n";

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-picker">
      <label htmlFor="ui-language" className="visually-hidden">
        {t("layout.language")}
      </label>
      <select
        id="ui-language"
        value={i18n.language}
        onChange={(event) => void chooseLanguage(event.target.value as UiLanguage)}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code} dir={language.dir}>
            {language.name}
          </option>
        ))}
      </select>
    </div>
  );
}
