// Signing with the mayor's own passkey: their device signs the text's fingerprint. Offered first
// when the mayor has a passkey; when the declaration requires passkeys it is the only way.
import { Trans, useTranslation as useWords } from "react-i18next";
import { Link } from "react-router";
import { usePasskeys, type useSignWithPasskey } from "../../api/passkeys";
import type { Declaration, Receipt } from "../../api/types";
import { passkeysSupported } from "../../lib/webauthn";
import { ErrorMessage } from "../ErrorMessage";

interface Props {
  declaration: Declaration;
  signedHash: string;
  cityName: string;
  /** Owned by the signing panel, which outlives this form: the signature's refresh shows the
      city as signed and removes the form, and a mutation's own callbacks die with the component
      that holds it — `onSigned` (the receipt) would be lost. */
  sign: ReturnType<typeof useSignWithPasskey>;
  onSigned: (receipt: Receipt) => void;
}

export function PasskeySign({ declaration, signedHash, cityName, sign, onSigned }: Props) {
  const { t } = useWords();
  const passkeys = usePasskeys(true);
  const has = (passkeys.data?.length ?? 0) > 0;
  const required = declaration.require_passkey;
  if (passkeys.isPending) return null;
  if (!has) {
    return (
      <p className={required ? "notice" : "hint"}>
        <Trans
          i18nKey={required ? "endorsement.passkey.requiredNone" : "endorsement.passkey.optionalNone"}
          components={{ add: <Link to="/account" /> }}
        />
      </p>
    );
  }
  return (
    <div className="passkey-sign">
      <p className="hint">{t("endorsement.passkey.explained")}</p>
      <ErrorMessage error={sign.error} />
      <button
        type="button"
        className="button-primary"
        disabled={sign.isPending || !passkeysSupported()}
        onClick={() => sign.mutate(signedHash, { onSuccess: onSigned })}
      >
        <span>
          {sign.isPending ? (
            t("endorsement.passkey.waiting")
          ) : (
            <Trans i18nKey="endorsement.passkey.signFor" values={{ city: cityName }} components={{ city: <bdi /> }} />
          )}
        </span>
      </button>
      {!required && <p className="passkey-or">{t("endorsement.passkey.orPassword")}</p>}
    </div>
  );
}
