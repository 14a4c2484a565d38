// The secretariat's desk: cities and regions (names in any script, country, kind, coordinates)
// and accounts (role, city, title, active), each paginated; one at a time or imported from CSV;
// an account deactivated (it is signed out everywhere) or reactivated.
import { ConfirmAction } from "../components/ConfirmAction";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
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
import { plural, roleInWords } from "../lib/words";

const ROWS = 25;
const ROLES: Role[] = ["delegate", "mayor", "co_facilitator", "observer", "admin"];
const CITY_ROLES = new Set<Role>(["delegate", "mayor"]);

export function AdminPage() {
  usePageTitle("Secretariat");
  const me = useMe();
  const [feedback, setFeedback] = useState<string | null>(null);
  if (me.data && !isAdmin(me.data)) {
    return (
      <div className="page">
        <h1>Secretariat</h1>
        <p>Only the secretariat manages cities and accounts.</p>
      </div>
    );
  }
  return (
    <div className="page">
      <h1>Secretariat</h1>
      <p className="lede">The cities and regions taking part, and the accounts of the people who speak for them.</p>
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
  what,
  columns,
  example,
  allowed,
  send,
  onDone,
}: {
  what: string;
  columns: string;
  example: string;
  /** The values a column accepts, in words. */
  allowed: string;
  send: (csv: string) => Promise<ImportResult>;
  onDone: (result: ImportResult) => void;
}) {
  const id = useId();
  const [csv, setCsv] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const importing = useMutation({ mutationFn: send, onSuccess: onDone });
  const problems = importProblems(importing.error);
  return (
    <details className="panel disclosure">
      <summary>Import {what} from CSV</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (csv.trim()) importing.mutate(csv);
        }}
        aria-label={`Import ${what}`}
      >
        <p className="hint" id={`${id}-hint`}>
          First line: <code>{columns}</code>. For example: <code>{example}</code>. {allowed} All rows are imported or
          none.
        </p>
        <div className="file-row">
          <label className="file-label" htmlFor={`${id}-file`}>
            Load a .csv file
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (!file) return;
              try {
                setFileError(null);
                setCsv(await readTextFile(file));
                setFileName(file.name);
              } catch (error) {
                setFileError(error instanceof Error ? error.message : "The file could not be read.");
              }
            }}
          />
        </div>
        {fileName && !fileError && (
          <p className="hint" role="status">
            Loaded <bdi>{fileName}</bdi> into the box below.
          </p>
        )}
        {fileError && <p className="field-error">{fileError}</p>}
        <div className="field">
          <label htmlFor={`${id}-csv`}>CSV</label>
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
                <p>Nothing was imported: {plural(problems.length, "problem")} to fix first.</p>
                <ul>
                  {problems.map((problem, index) => (
                    <li key={index}>{problem}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <button type="submit" className="button-primary" disabled={importing.isPending || !csv.trim()}>
          {importing.isPending ? "Importing…" : `Import ${what}`}
        </button>
      </form>
    </details>
  );
}

function CitiesSection({ onDone }: { onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const [offset, setOffset] = useState(0);
  const page = useCityPage(offset, ROWS);
  const [editing, setEditing] = useState<number | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.cities });
  const items = page.data?.items ?? [];
  return (
    <section className="admin-section" aria-labelledby="cities-title">
      <h2 id="cities-title">
        Cities and regions {page.data && <span className="count">({page.data.total})</span>}
      </h2>
      <NewCityForm
        onDone={(city) => {
          void refresh();
          onDone(`${city.name} (${city.country}) was added.`);
        }}
      />
      <CsvImport
        what="cities"
        columns="name,country,kind,latitude,longitude"
        allowed="Country: the two-letter ISO code (BE, UG). Kind: city or region (empty: city). Latitude and longitude are optional."
        example="Mechelen,BE,city,51.0259,4.4776"
        send={(csv) => unwrap(api.POST("/api/cities/import", { body: { csv } }))}
        onDone={(result) => {
          void refresh();
          onDone(`Imported: ${plural(result.created, "new city", "new cities")}; ${result.existing} already registered.`);
        }}
      />
      {page.isPending && <Loading what="Loading the cities" />}
      <ErrorMessage error={page.error} />
      {items.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">Cities and regions, by country and name</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Country</th>
              <th scope="col">Kind</th>
              <th scope="col">Latitude, longitude</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
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
                  <th scope="row" dir="auto">
                    {city.name}
                  </th>
                  <td data-label="Country">{city.country}</td>
                  <td data-label="Kind">{city.kind === "region" ? "Region" : "City"}</td>
                  <td data-label="Coordinates">
                    {city.latitude != null && city.longitude != null ? `${city.latitude}, ${city.longitude}` : "—"}
                  </td>
                  <td>
                    <button type="button" className="button-small" onClick={() => setEditing(city.id)}>
                      Edit<span className="visually-hidden"> {city.name}</span>
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
          label="Pages of cities"
          offset={offset}
          shown={items.length}
          total={page.data.total}
          pageSize={ROWS}
          noun={["city", "cities"]}
          onOffset={setOffset}
        />
      )}
    </section>
  );
}

/** A city's name, country, kind and place, corrected; its accounts and signatures keep it. */
function EditCity({ city, onClose, onDone }: { city: City; onClose: () => void; onDone: (message: string) => void }) {
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
    onSuccess: (saved) => onDone(`${saved.name} (${saved.country}) was saved.`),
  });
  return (
    <form
      className="edit-account"
      aria-label={`Edit ${city.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate();
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name (in its own script)</label>
          <input id={`${id}-name`} type="text" value={name} dir="auto" required onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-country`}>Country (two-letter ISO code)</label>
          <input id={`${id}-country`} type="text" value={country} required onChange={(e) => setCountry(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value === "region" ? "region" : "city")}>
            <option value="city">City</option>
            <option value="region">Region</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lat`}>Latitude</label>
          <input id={`${id}-lat`} type="text" inputMode="decimal" value={latitude} onChange={(e) => setLatitude(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-lon`}>Longitude</label>
          <input id={`${id}-lon`} type="text" inputMode="decimal" value={longitude} onChange={(e) => setLongitude(e.target.value)} />
        </div>
      </div>
      <ErrorMessage error={update.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={update.isPending}>
          Save
        </button>
        <button type="button" className="button-quiet-dark" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function NewCityForm({ onDone }: { onDone: (city: City) => void }) {
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
      <summary>New city or region</summary>
      <form onSubmit={submit} aria-label="New city or region" className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name, in its own script</label>
          <input id={`${id}-name`} type="text" required value={name} dir="auto" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-country`}>Country (two-letter ISO code)</label>
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
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as "city" | "region")}>
            <option value="city">City</option>
            <option value="region">Region</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lat`}>Latitude (optional, −90 to 90)</label>
          <input id={`${id}-lat`} type="text" inputMode="decimal" value={latitude} onChange={(e) => setLatitude(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-lon`}>Longitude (optional, −180 to 180)</label>
          <input id={`${id}-lon`} type="text" inputMode="decimal" value={longitude} onChange={(e) => setLongitude(e.target.value)} />
        </div>
        <div className="form-grid-wide">
          <ErrorMessage error={create.error} />
          <button type="submit" className="button-primary" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add the city"}
          </button>
        </div>
      </form>
    </details>
  );
}

function AccountsSection({ meId, onDone }: { meId: number | undefined; onDone: (message: string) => void }) {
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
        Accounts {page.data && <span className="count">({page.data.total})</span>}
      </h2>
      <NewAccountForm
        cities={cities.data ?? []}
        onDone={(user) => {
          void refresh();
          onDone(`The account of ${user.name} was created.`);
        }}
      />
      <CsvImport
        what="accounts"
        columns="email,name,role,title,city,country,password"
        allowed="Role: Secretariat, Co-facilitator, Delegate, Mayor or Observer (any case). Delegates and mayors name their city and its country; an empty password is generated."
        example="delegate@malmo.se,Anna Svensson,delegate,Delegate,Malmö,SE,"
        send={(csv) => unwrap(api.POST("/api/users/import", { body: { csv } }))}
        onDone={(result) => {
          void refresh();
          setGenerated(result.generated_passwords ?? []);
          onDone(`Imported: ${plural(result.created, "new account")}; ${result.existing} already existed.`);
        }}
      />
      {generated && generated.length > 0 && (
        <div className="notice" role="note">
          <p>
            Passwords were generated for {plural(generated.length, "account")}. They are shown once: pass them on safely.
          </p>
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
            Download them (CSV)
          </button>{" "}
          <button type="button" className="button-quiet-dark" onClick={() => setGenerated([])}>
            Forget them
          </button>
        </div>
      )}
      {page.isPending && <Loading what="Loading the accounts" />}
      <ErrorMessage error={page.error} />
      {items.length > 0 && (
        <table className="data-table accounts">
          <caption className="visually-hidden">Accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">City</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
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
                  <td data-label="Email">{user.email}</td>
                  <td data-label="Role">{roleInWords(user.role)}</td>
                  <td data-label="City">{user.city ? <><bdi>{user.city.name}</bdi> ({user.city.country})</> : "—"}</td>
                  <td data-label="State">{user.active ? "Active" : "Deactivated"}</td>
                  <td>
                    <button type="button" className="button-small" onClick={() => setEditing(user.id)}>
                      Edit<span className="visually-hidden"> the account of {user.name}</span>
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
          label="Pages of accounts"
          offset={offset}
          shown={items.length}
          total={page.data.total}
          pageSize={ROWS}
          noun={["account", "accounts"]}
          onOffset={setOffset}
        />
      )}
    </section>
  );
}

function CitySelect({ id, value, onChange, cities }: { id: string; value: string; onChange: (v: string) => void; cities: City[] }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">— none —</option>
      {cities.map((city) => (
        <option key={city.id} value={city.id}>
          {city.name} ({city.country})
        </option>
      ))}
    </select>
  );
}

function NewAccountForm({ cities, onDone }: { cities: City[]; onDone: (user: User) => void }) {
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
      <summary>New account</summary>
      <form
        className="form-grid"
        aria-label="New account"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>Email address</label>
          <input id={`${id}-email`} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} type="text" required value={name} dir="auto" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password (at least 8 characters)</label>
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
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleInWords(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-title`}>Title (optional, as signed: e.g. Mayor)</label>
          <input id={`${id}-title`} type="text" value={title} dir="auto" onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-city`}>City {CITY_ROLES.has(role) ? "(required for this role)" : "(none for this role)"}</label>
          <CitySelect id={`${id}-city`} value={city} onChange={setCity} cities={cities} />
        </div>
        <div className="form-grid-wide">
          <ErrorMessage error={create.error} />
          <button type="submit" className="button-primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create the account"}
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
      aria-label={`Edit the account of ${user.name}`}
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
              onDone(
                `The account of ${name.trim() || user.name} was saved${password ? ", with its new password (its sign-ins ended)" : ""}.`,
              );
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
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} type="text" value={name} dir="auto" required onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>E-mail address</label>
          <input id={`${id}-email`} type="email" value={email} required onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>New password (leave empty to keep it)</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} disabled={self} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleInWords(r)}
              </option>
            ))}
          </select>
          {self && <p className="hint">You cannot change your own role.</p>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-title`}>Title</label>
          <input id={`${id}-title`} type="text" value={title} dir="auto" onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-city`}>City</label>
          <CitySelect id={`${id}-city`} value={city} onChange={setCity} cities={cities} />
        </div>
      </div>
      <ErrorMessage error={update.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={update.isPending}>
          Save
        </button>
        {!self &&
          (user.active ? (
            <ConfirmAction
              label="Deactivate"
              danger
              question={
                <p>
                  Deactivate the account of <bdi>{user.name}</bdi>? They are signed out at once and cannot sign in.
                </p>
              }
              confirmLabel="Yes, deactivate"
              busyLabel="Deactivating…"
              busy={update.isPending}
              onConfirm={() =>
                update.mutate({ active: false }, { onSuccess: () => onDone(`The account of ${user.name} was deactivated.`) })
              }
            />
          ) : (
            <button
              type="button"
              className="button-secondary"
              disabled={update.isPending}
              onClick={() => update.mutate({ active: true }, { onSuccess: () => onDone(`The account of ${user.name} was reactivated.`) })}
            >
              Reactivate
            </button>
          ))}
        <button type="button" className="button-quiet-dark" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
