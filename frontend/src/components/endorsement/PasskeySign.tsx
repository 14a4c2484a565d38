// Signing with the mayor's own passkey: their device signs the text's fingerprint. Offered first
// when the mayor has a passkey; when the declaration requires passkeys it is the only way.
import { Link } from "react-router";
import { usePasskeys, useSignWithPasskey } from "../../api/passkeys";
import type { Declaration, Receipt } from "../../api/types";
import { passkeysSupported } from "../../lib/webauthn";
import { ErrorMessage } from "../ErrorMessage";

interface Props {
  declaration: Declaration;
  signedHash: string;
  cityName: string;
  onSigned: (receipt: Receipt) => void;
}

export function PasskeySign({ declaration, signedHash, cityName, onSigned }: Props) {
  const passkeys = usePasskeys(true);
  const sign = useSignWithPasskey(declaration.id);
  const has = (passkeys.data?.length ?? 0) > 0;
  const required = declaration.require_passkey;
  if (passkeys.isPending) return null;
  if (!has) {
    return (
      <p className={required ? "notice" : "hint"}>
        {required
          ? "This declaration is signed with a passkey only: your own device signs the text. "
          : "You can also sign with your own device instead of your password. "}
        <Link to="/account">Add a passkey</Link>
        {required ? ", then come back to sign." : " on your account page."}
      </p>
    );
  }
  return (
    <div className="passkey-sign">
      <p className="hint">
        Your device will ask you to confirm it is you (PIN, fingerprint or face), then sign the fingerprint of this text
        itself. The platform never holds that key.
      </p>
      <ErrorMessage error={sign.error} />
      <button
        type="button"
        className="button-primary"
        disabled={sign.isPending || !passkeysSupported()}
        onClick={() => sign.mutate(signedHash, { onSuccess: onSigned })}
      >
        <span>{sign.isPending ? "Waiting for your passkey…" : <>Sign with your passkey for <bdi>{cityName}</bdi></>}</span>
      </button>
      {!required && <p className="passkey-or">Or confirm with your password:</p>}
    </div>
  );
}
