// The secretariat's desk: cities and regions (names in any script, country, kind, coordinates)
// and accounts (role, city, title, active), each paginated; one at a time or imported from CSV;
// an account deactivated (it is signed out everywhere) or reactivated.
import { ConfirmAction } from "../components/ConfirmAction";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Trans, useTranslation as useWords } from "react-i18next";
import { api } from "../api/client";
import { errorMessage, refusal, unwrap } from "../api/errors";
import { keys, useAllCities, useCityPage, useMe, useUserPage } from "../api/queries";
import type { City, ImportResult, Role, User, UserUpdate } from "../api/types";
import { ErrorMessage } from "../components/ErrorMessage";
import { Feedback } from "../components/Feedback";
import { Loading } from "../components/Loading";
import { Pager } from "../components/Pager";
import { downloadBlob, readTextFile } from "../lib/files";
import { isAdmin } from "../lib/roles";
import { usePageTitle } from "../lib/usePageTitle";
import { formatNumber, roleInWords } from "../lib/words";
import { FileButton } from "../components/FileButton";

const ROWS = 25;
const ROLES: Role[] = ["delegate", "mayor", "co_facilitator", "observer", "admin"];
const CITY_ROLES = new Set<Role>(["delegate", "mayor"]);

/** A value a CSV column takes, written as the file must have it (English, in any language). */
const CSV_VALUE = <bdi lang="en" />;

export function AdminPage() {
  const { t } = useWords();
  usePageTitle(t("admin.title"));
  const me = useMe();
  const [feedback, setFeedback] = useState<string | null>(null);
  if (me.data && !isAdmin(me.data)) {
    return (
      <div className="page">
        <h1>{t("admin.title")}</h1>
        <p>{t("admin.onlySecretariat")}</p>
      </div>
    );
  }
  return (
    <div className="page">
      <h1>{t("admin.title")}</h1>
      <p className="lede">{t("admin.lede")}</p>
      <Feedback message={feedback} />
      <CitiesSection onDone={setFeedback} />
      <AccountsSection meId={me.data?.id} onDone={setFeedback} />
    </div>
  );
}

/** The problems of a refused CSV import, one per line, when the server lists them. */
function importProblems(error: unknown): string[] {
  return refusal(error, "csv_invalid")?.problems ?? [];
}

function CsvImport({
  title,
  submitLabel,
  columns,
  example,
  allowed,
  send,
  onDone,
}: {
  /** What is imported, as a heading ("Import cities from CSV"). */
  title: string;
  /** Its button ("Import cities"). */
  submitLabel: string;
  columns: string;
  example: string;
  /** The values a column accepts, in words. */
  allowed: ReactNode;
  send: (csv: string) => Promise<ImportResult>;
  onDone: (result: ImportResult) => void;
}) {
  const { t } = useWords();
  const id = useId();
  const [csv, setCsv] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const importing = useMutation({ mutationFn: send, onSuccess: onDone });
  const problems = importProblems(importing.error);
  return (
    <details className="panel disclosure">
      <summary>{title}</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (csv.trim()) importing.mutate(csv);
        }}
        aria-label={submitLabel}
      >
        <p className="hint" id={`${id}-hint`}>
          <Trans i18nKey="admin.csv.format" values={{ columns, example }} components={{ code: <code dir="ltr" /> }} /> {allowed}{" "}
          {t("admin.csv.allOrNone")}
        </p>
        <div className="file-row">
          <FileButton
            id={`${id}-file`}
            label={t("admin.csv.loadFile")}
            accept=".csv,text/csv,text/plain"
            onFile={async (file) => {
              if (!file) return;
              try {
                setFileError(null);
                setCsv(await readTextFile(file));
                setFileName(file.name);
              } catch (error) {
                setFileError(error instanceof Error ? error.message : t("admin.csv.unreadable"));
              }
            }}
          />
        </div>
        {fileName && !fileError && (
          <p className="hint" role="status">
            <Trans i18nKey="admin.csv.loaded" values={{ file: fileName }} components={{ file: <bdi /> }} />
          </p>
        )}
        {fileError && <p className="field-error">{fileError}</p>}
        <div className="field">
          <label htmlFor={`${id}-csv`}>{t("admin.csv.label")}</label>
          <textarea
            id={`${id}-csv`}
            rows={6}
            value={csv}
            spellCheck={false}
            onChange={(event) => setCsv(event.target.value)}
            aria-describedby={`${id}-hint`}
            className="csv-box"
          />
        </div>
        {importing.error !== null && (
          <div className="notice notice-error" role="alert">
            {problems.length === 0 ? (
              <p>{errorMessage(importing.error)}</p>
            ) : (
              <>
                <p>{t("admin.csv.nothingImported", { count: problems.length })}</p>
                {/* The server's own (English) sentences, one a problem. */}
                <ul lang="en">
                  {problems.map((problem, index) => (
                    <li key={index}>{problem}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <button type="submit" className="button-primary" disabled={importing.isPending || !csv.trim()}>
          {importing.isPending ? t("admin.csv.importing") : submitLabel}
        </button>
      </form>
    </details>
  );
}

function CitiesSection({ onDone }: { onDone: (message: string) => void }) {
  const { t } = useWords();
  const queryClient = useQueryClient();
  const [offset, setOffset] = useState(0);
  const page = useCityPage(offset, ROWS);
  const [editing, setEditing] = useState<number | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.cities });
  const items = page.data?.items ?? [];
  return (
    <section className="admin-section" aria-labelledby="cities-title">
      <h2 id="cities-title">
        {t("admin.cities.title")} {page.data && <span className="count">({formatNumber(page.data.total)})</span>}
      </h2>
      <NewCityForm
        onDone={(city) => {
          void refresh();
          onDone(t("admin.cities.added", { city: city.name, country: city.country }));
        }}
      />
      <CsvImport
        title={t("admin.cities.importTitle")}
        submitLabel={t("admin.cities.import")}
        columns="name,country,kind,latitude,longitude"
        allowed={<Trans i18nKey="admin.cities.allowed" components={{ v: CSV_VALUE }} />}
        example="Mechelen,BE,city,51.0259,4.4776"
        send={(csv) => unwrap(api.POST("/api/cities/import", { body: { csv } }))}
        onDone={(result) => {
          void refresh();
          onDone(
            t("admin.cities.imported", {
              created: t("admin.cities.new", { count: result.created }),
              count: result.existing,
            }),
          );
        }}
      />
      {page.isPending && <Loading what={t("admin.cities.loading")} />}
      <ErrorMessage error={page.error} />
      {items.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t("admin.cities.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.cities.name")}</th>
              <th scope="col">{t("admin.country")}</th>
              <th scope="col">{t("admin.kind")}</th>
              <th scope="col">{t("admin.cities.coordinates")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((city) =>
              editing === city.id ? (
                <tr key={city.id}>
                  <td colSpan={5}>
                    <EditCity
                      city={city}
                      onClose={() => setEditing(null)}
                      onDone={(message) => {
                        setEditing(null);
                        void refresh();
                        onDone(message);
                      }}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={city.id}>
                  <th scope="row">
                    {/* Isolated, not dir="auto" on the cell: an Arabic name keeps its own order
                        without the cell aligning to the other side of its column. */}
                    <bdi>{city.name}</bdi>
                  </th>
                  <td data-label={t("admin.country")}>{city.country}</td>
                  <td data-label={t("admin.kind")}>{city.kind === "region" ? t("admin.region") : t("admin.city")}</td>
                  <td data-label={t("admin.cities.coordinatesShort")}>
                    {city.latitude != null && city.longitude != null ? `${city.latitude}, ${city.longitude}` : "—"}
                  </td>
                  <td>
                    <button type="button" className="button-small" onClick={() => setEditing(city.id)}>
                      <Trans
                        i18nKey="admin.cities.edit"
                        values={{ city: city.name }}
                        components={{ hidden: <span className="visually-hidden" /> }}
                      />
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {page.data && (
        <Pager
          label={t("admin.cities.pages")}
          offset={offset}
          shown={items.length}
          total={page.data.total}
          pageSize={ROWS}
          counted={(total) => t("admin.cities.count", { count: total })}
          onOffset={setOffset}
        />
      )}
    </section>
  );
}

/** A city's name, country, kind and place, corrected; its accounts and signatures keep it. */
function EditCity({ city, onClose, onDone }: { city: City; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useWords();
  const id = useId();
  const [name, setName] = useState(city.name);
  const [country, setCountry] = useState(city.country);
  const [kind, setKind] = useState<"city" | "region">(city.kind === "region" ? "region" : "city");
  const [latitude, setLatitude] = useState(city.latitude != null ? String(city.latitude) : "");
  const [longitude, setLongitude] = useState(city.longitude != null ? String(city.longitude) : "");
  const update = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/cities/{city_id}", {
          params: { path: { city_id: city.id } },
          body: {
            name: name.trim(),
            country: country.trim(),
            kind,
            latitude: latitude.trim() ? Number(latitude) : null,
            longitude: longitude.trim() ? Number(longitude) : null,
          },
        }),
      ),
    onSuccess: (saved) => onDone(t("admin.cities.saved", { city: saved.name, country: saved.country })),
  });
  return (
    <form
      className="edit-account"
      aria-label={t("admin.cities.editLabel", { city: city.name })}
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate();
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("admin.cities.nameOwnScript")}</label>
          <input id={`${id}-name`} type="text" value={name} dir="auto" required onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-country`}>{t("admin.countryIso")}</label>
          <input id={`${id}-country`} type="text" value={country} required onChange={(e) => setCountry(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t("admin.kind")}</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value === "region" ? "region" : "city")}>
            <option value="city">{t("admin.city")}</option>
            <option value="region">{t("admin.region")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lat`}>{t("admin.cities.latitude")}</label>
          <input id={`${id}-lat`} type="text" inputMode="decimal" value={latitude} onChange={(e) => setLatitude(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-lon`}>{t("admin.cities.longitude")}</label>
          <input id={`${id}-lon`} type="text" inputMode="decimal" value={longitude} onChange={(e) => setLongitude(e.target.value)} />
        </div>
      </div>
      <ErrorMessage error={update.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={update.isPending}>
          {t("admin.save")}
        </button>
        <button type="button" className="button-quiet-dark" onClick={onClose}>
          {t("admin.cancel")}
        </button>
      </div>
    </form>
  );
}

function NewCityForm({ onDone }: { onDone: (city: City) => void }) {
  const { t } = useWords();
  const id = useId();
  const [name, setName] = useState("");
  const [country, setCountry] = useState("");
  const [kind, setKind] = useState<"city" | "region">("city");
  const [latitude, setLatitude] = useState("");
  const [longitude, setLongitude] = useState("");
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/cities", {
          body: {
            name,
            country,
            kind,
            latitude: latitude.trim() ? Number(latitude) : null,
            longitude: longitude.trim() ? Number(longitude) : null,
          },
        }),
      ),
    onSuccess: (city) => {
      setName("");
      setCountry("");
      setLatitude("");
      setLongitude("");
      onDone(city);
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <details className="panel disclosure">
      <summary>{t("admin.cities.newTitle")}</summary>
      <form onSubmit={submit} aria-label={t("admin.cities.newTitle")} className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("admin.cities.newName")}</label>
          <input id={`${id}-name`} type="text" required value={name} dir="auto" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-country`}>{t("admin.countryIso")}</label>
          <input
            id={`${id}-country`}
            type="text"
            required
            maxLength={2}
            value={country}
            autoCapitalize="characters"
            onChange={(e) => setCountry(e.target.value.toUpperCase())}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t("admin.kind")}</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as "city" | "region")}>
            <option value="city">{t("admin.city")}</option>
            <option value="region">{t("admin.region")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lat`}>{t("admin.cities.latitudeOptional")}</label>
          <input id={`${id}-lat`} type="text" inputMode="decimal" value={latitude} onChange={(e) => setLatitude(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-lon`}>{t("admin.cities.longitudeOptional")}</label>
          <input id={`${id}-lon`} type="text" inputMode="decimal" value={longitude} onChange={(e) => setLongitude(e.target.value)} />
        </div>
        <div className="form-grid-wide">
          <ErrorMessage error={create.error} />
          <button type="submit" className="button-primary" disabled={create.isPending}>
            {create.isPending ? t("admin.cities.adding") : t("admin.cities.add")}
          </button>
        </div>
      </form>
    </details>
  );
}

function AccountsSection({ meId, onDone }: { meId: number | undefined; onDone: (message: string) => void }) {
  const { t } = useWords();
  const queryClient = useQueryClient();
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<number | null>(null);
  const [generated, setGenerated] = useState<ImportResult["generated_passwords"]>([]);
  const page = useUserPage(offset, ROWS);
  const cities = useAllCities();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.users });
  const items = page.data?.items ?? [];
  return (
    <section className="admin-section" aria-labelledby="accounts-title">
      <h2 id="accounts-title">
        {t("admin.accounts.title")} {page.data && <span className="count">({formatNumber(page.data.total)})</span>}
      </h2>
      <NewAccountForm
        cities={cities.data ?? []}
        onDone={(user) => {
          void refresh();
          onDone(t("admin.accounts.created", { name: user.name }));
        }}
      />
      <CsvImport
        title={t("admin.accounts.importTitle")}
        submitLabel={t("admin.accounts.import")}
        columns="email,name,role,title,city,country,password"
        allowed={<Trans i18nKey="admin.accounts.allowed" components={{ v: CSV_VALUE }} />}
        example="delegate@malmo.se,Anna Svensson,delegate,Delegate,Malmö,SE,"
        send={(csv) => unwrap(api.POST("/api/users/import", { body: { csv } }))}
        onDone={(result) => {
          void refresh();
          setGenerated(result.generated_passwords ?? []);
          onDone(
            t("admin.accounts.imported", {
              created: t("admin.accounts.new", { count: result.created }),
              count: result.existing,
            }),
          );
        }}
      />
      {generated && generated.length > 0 && (
        <div className="notice" role="note">
          <p>{t("admin.accounts.generated", { count: generated.length })}</p>
          <button
            type="button"
            className="button-secondary"
            onClick={() =>
              downloadBlob(
                new Blob(["email,password\n" + generated.map((a) => `${a.email},${a.password}`).join("\n") + "\n"], {
                  type: "text/csv",
                }),
                "generated-passwords.csv",
              )
            }
          >
            {t("admin.accounts.download")}
          </button>{" "}
          <button type="button" className="button-quiet-dark" onClick={() => setGenerated([])}>
            {t("admin.accounts.forget")}
          </button>
        </div>
      )}
      {page.isPending && <Loading what={t("admin.accounts.loading")} />}
      <ErrorMessage error={page.error} />
      {items.length > 0 && (
        <table className="data-table accounts">
          <caption className="visually-hidden">{t("admin.accounts.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.name")}</th>
              <th scope="col">{t("admin.accounts.email")}</th>
              <th scope="col">{t("admin.role")}</th>
              <th scope="col">{t("admin.city")}</th>
              <th scope="col">{t("admin.accounts.state")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((user) =>
              editing === user.id ? (
                <tr key={user.id}>
                  <td colSpan={6}>
                    <EditAccount
                      user={user}
                      cities={cities.data ?? []}
                      self={user.id === meId}
                      onClose={() => setEditing(null)}
                      onDone={(message) => {
                        setEditing(null);
                        void refresh();
                        onDone(message);
                      }}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={user.id} className={user.active ? undefined : "is-inactive"}>
                  <th scope="row">
                    <bdi>{user.name}</bdi>
                    {user.title && <span className="account-title">, <bdi>{user.title}</bdi></span>}
                  </th>
                  <td data-label={t("admin.accounts.email")}>{user.email}</td>
                  <td data-label={t("admin.role")}>{roleInWords(user.role)}</td>
                  <td data-label={t("admin.city")}>
                    {user.city ? (
                      <>
                        <bdi>{user.city.name}</bdi> ({user.city.country})
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td data-label={t("admin.accounts.state")}>
                    {user.active ? t("admin.accounts.active") : t("admin.accounts.deactivatedState")}
                  </td>
                  <td>
                    <button type="button" className="button-small" onClick={() => setEditing(user.id)}>
                      <Trans
                        i18nKey="admin.accounts.edit"
                        values={{ name: user.name }}
                        components={{ hidden: <span className="visually-hidden" /> }}
                      />
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {page.data && (
        <Pager
          label={t("admin.accounts.pages")}
          offset={offset}
          shown={items.length}
          total={page.data.total}
          pageSize={ROWS}
          counted={(total) => t("admin.accounts.count", { count: total })}
          onOffset={setOffset}
        />
      )}
    </section>
  );
}

function CitySelect({ id, value, onChange, cities }: { id: string; value: string; onChange: (v: string) => void; cities: City[] }) {
  const { t } = useWords();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t("admin.accounts.noCity")}</option>
      {cities.map((city) => (
        <option key={city.id} value={city.id}>
          {city.name} ({city.country})
        </option>
      ))}
    </select>
  );
}

function NewAccountForm({ cities, onDone }: { cities: City[]; onDone: (user: User) => void }) {
  const { t } = useWords();
  const id = useId();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("delegate");
  const [title, setTitle] = useState("");
  const [city, setCity] = useState("");
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/users", {
          body: { email, name, password, role, title: title.trim() || null, city_id: city ? Number(city) : null },
        }),
      ),
    onSuccess: (user) => {
      setEmail("");
      setName("");
      setPassword("");
      setTitle("");
      onDone(user);
    },
  });
  return (
    <details className="panel disclosure">
      <summary>{t("admin.accounts.newTitle")}</summary>
      <form
        className="form-grid"
        aria-label={t("admin.accounts.newTitle")}
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>{t("admin.accounts.emailAddress")}</label>
          <input id={`${id}-email`} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("admin.name")}</label>
          <input id={`${id}-name`} type="text" required value={name} dir="auto" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t("admin.accounts.password")}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t("admin.role")}</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleInWords(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-title`}>{t("admin.accounts.titleOptional")}</label>
          <input id={`${id}-title`} type="text" value={title} dir="auto" onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-city`}>
            {CITY_ROLES.has(role) ? t("admin.accounts.cityRequired") : t("admin.accounts.cityNone")}
          </label>
          <CitySelect id={`${id}-city`} value={city} onChange={setCity} cities={cities} />
        </div>
        <div className="form-grid-wide">
          <ErrorMessage error={create.error} />
          <button type="submit" className="button-primary" disabled={create.isPending}>
            {create.isPending ? t("admin.accounts.creating") : t("admin.accounts.create")}
          </button>
        </div>
      </form>
    </details>
  );
}

function EditAccount({
  user,
  cities,
  self,
  onClose,
  onDone,
}: {
  user: User;
  cities: City[];
  self: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useWords();
  const id = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [password, setPassword] = useState("");
  const [title, setTitle] = useState(user.title ?? "");
  const [city, setCity] = useState(user.city ? String(user.city.id) : "");
  const update = useMutation({
    mutationFn: (body: UserUpdate) =>
      unwrap(api.PATCH("/api/users/{user_id}", { params: { path: { user_id: user.id } }, body })),
  });
  return (
    <form
      className="edit-account"
      aria-label={t("admin.accounts.editLabel", { name: user.name })}
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(
          {
            ...(self ? {} : { role }),
            ...(name.trim() && name.trim() !== user.name ? { name: name.trim() } : {}),
            ...(email.trim() && email.trim() !== user.email ? { email: email.trim() } : {}),
            ...(password ? { password } : {}),
            title: title.trim() || null,
            city_id: CITY_ROLES.has(role) && city ? Number(city) : null,
          },
          {
            onSuccess: () => {
              setPassword("");
              const saved = { name: name.trim() || user.name };
              onDone(password ? t("admin.accounts.savedWithPassword", saved) : t("admin.accounts.saved", saved));
            },
          },
        );
      }}
    >
      <p className="edit-account-title">
        <bdi>{user.name}</bdi> · {user.email}
      </p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("admin.name")}</label>
          <input id={`${id}-name`} type="text" value={name} dir="auto" required onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>{t("admin.accounts.eMailAddress")}</label>
          <input id={`${id}-email`} type="email" value={email} required onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t("admin.accounts.newPassword")}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t("admin.role")}</label>
          <select id={`${id}-role`} value={role} disabled={self} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleInWords(r)}
              </option>
            ))}
          </select>
          {self && <p className="hint">{t("admin.accounts.ownRole")}</p>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-title`}>{t("admin.accounts.personTitle")}</label>
          <input id={`${id}-title`} type="text" value={title} dir="auto" onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-city`}>{t("admin.city")}</label>
          <CitySelect id={`${id}-city`} value={city} onChange={setCity} cities={cities} />
        </div>
      </div>
      <ErrorMessage error={update.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={update.isPending}>
          {t("admin.save")}
        </button>
        {!self &&
          (user.active ? (
            <ConfirmAction
              label={t("admin.accounts.deactivate")}
              danger
              question={
                <p>
                  <Trans
                    i18nKey="admin.accounts.deactivateQuestion"
                    values={{ name: user.name }}
                    components={{ name: <bdi /> }}
                  />
                </p>
              }
              confirmLabel={t("admin.accounts.deactivateConfirm")}
              busyLabel={t("admin.accounts.deactivating")}
              busy={update.isPending}
              onConfirm={() =>
                update.mutate({ active: false }, { onSuccess: () => onDone(t("admin.accounts.deactivated", { name: user.name })) })
              }
            />
          ) : (
            <button
              type="button"
              className="button-secondary"
              disabled={update.isPending}
              onClick={() => update.mutate({ active: true }, { onSuccess: () => onDone(t("admin.accounts.reactivated", { name: user.name })) })}
            >
              {t("admin.accounts.reactivate")}
            </button>
          ))}
        <button type="button" className="button-quiet-dark" onClick={onClose}>
          {t("admin.cancel")}
        </button>
      </div>
    </form>
  );
}
