// A mayor's passkeys, and signing with one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createPasskey, passkeyFailure, signWithPasskey } from "../lib/webauthn";
import { api } from "./client";
import { ApiError, unwrap } from "./errors";
import { useRefreshDeclaration } from "./mutations";

const passkeysKey = ["me", "passkeys"] as const;

/** The browser's passkey dialog, its failures told in words like the API's. */
async function inTheBrowser<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new ApiError(0, "passkey_dialog", passkeyFailure(error));
  }
}

export function usePasskeys(enabled: boolean) {
  return useQuery({
    queryKey: passkeysKey,
    queryFn: () => unwrap(api.GET("/api/me/passkeys")),
    enabled,
  });
}

/** Ask the platform for a challenge, let the browser make the passkey, register it. */
export function useAddPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => {
      const options = await unwrap(api.POST("/api/me/passkeys/options"));
      const credential = await inTheBrowser(() => createPasskey(options));
      return unwrap(api.POST("/api/me/passkeys", { body: { name, credential } }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: passkeysKey }),
  });
}

export function useRemovePasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (passkeyId: number) =>
      unwrap(api.DELETE("/api/me/passkeys/{passkey_id}", { params: { path: { passkey_id: passkeyId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: passkeysKey }),
  });
}

/** Sign the text's fingerprint with a passkey: a challenge carrying it, the authenticator's
 * assertion over it, and the signature, whose entry carries that assertion. */
export function useSignWithPasskey(declarationId: number) {
  const refresh = useRefreshDeclaration(declarationId);
  return useMutation({
    mutationFn: async (contentHash: string) => {
      const path = { params: { path: { declaration_id: declarationId } } };
      const options = await unwrap(api.POST("/api/declarations/{declaration_id}/signatures/options", path));
      const passkey = await inTheBrowser(() => signWithPasskey(options));
      return unwrap(
        api.POST("/api/declarations/{declaration_id}/signatures", { ...path, body: { content_hash: contentHash, passkey } }),
      );
    },
    onSuccess: () => refresh(),
  });
}
