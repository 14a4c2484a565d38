// The web app in the six UN languages: i18next with one message catalogue per language, the
// reader's choice remembered in this browser, <html lang dir> kept in step (Arabic right to
// left), dates and numbers in the reader's locale. A catalogue is a file per part of the app,
// locales/<language>/<part>.json, read as its <part> section: `t("desk.save")` is the "save" of
// locales/en/desk.json in English. API error sentences stay English; their codes have words in
// each catalogue (errors.<code>).
import i18next from "i18next";
import { initReactI18next } from "react-i18next";

type Catalogue = { [key: string]: string | Catalogue };

const PARTS = import.meta.glob<Catalogue>("./locales/*/*.json", { eager: true, import: "default" });

/** Each language's catalogue, its parts gathered under their file names. */
export const CATALOGUES: Record<string, Catalogue> = {};
for (const [path, part] of Object.entries(PARTS)) {
  const [, language, name] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path)!;
  (CATALOGUES[language!] ??= {})[name!] = part;
}

/** The six UN languages, each named in itself, in the UN's order (English alphabetical). */
export const LANGUAGES = [
  { code: "ar", name: "العربية", dir: "rtl", locale: "ar" },
  { code: "zh", name: "中文", dir: "ltr", locale: "zh-CN" },
  { code: "en", name: "English", dir: "ltr", locale: "en-GB" },
  { code: "fr", name: "Français", dir: "ltr", locale: "fr-FR" },
  { code: "ru", name: "Русский", dir: "ltr", locale: "ru-RU" },
  { code: "es", name: "Español", dir: "ltr", locale: "es-ES" },
] as const;
export type UiLanguage = (typeof LANGUAGES)[number]["code"];

const STORAGE_KEY = "concord.language";

function stored(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The reader's earlier choice, else the browser's first language we have, else English. */
export function initialLanguage(): UiLanguage {
  const wanted = [stored(), ...(globalThis.navigator?.languages ?? [globalThis.navigator?.language])];
  for (const tag of wanted) {
    const base = tag?.toLowerCase().split("-")[0];
    const found = LANGUAGES.find((l) => l.code === base);
    if (found) return found.code;
  }
  return "en";
}

export function languageOf(code: string) {
  return LANGUAGES.find((l) => l.code === code) ?? LANGUAGES[2];
}

/** The locale dates and numbers are written in, for the language being shown. */
export function currentLocale(): string {
  return languageOf(i18next.language ?? "en").locale;
}

function follow(code: string): void {
  const language = languageOf(code);
  if (typeof document !== "undefined") {
    document.documentElement.lang = language.code;
    document.documentElement.dir = language.dir;
  }
}

export function chooseLanguage(code: UiLanguage): Promise<unknown> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, code);
  } catch {
    // A browser that keeps nothing still shows the language for this visit.
  }
  return i18next.changeLanguage(code);
}

void i18next.use(initReactI18next).init({
  resources: Object.fromEntries(
    Object.entries(CATALOGUES).map(([language, catalogue]) => [language, { translation: catalogue }]),
  ),
  lng: initialLanguage(),
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes what it renders
  returnNull: false,
});
i18next.on("languageChanged", follow);
follow(i18next.language);

export default i18next;
