// "Forgot password": whether the platform offers it (only when it sends mail), asking for a
// link, and setting the new password with the link's token.
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";

export function usePasswordResetOptions() {
  return useQuery({
    queryKey: ["password-reset-options"],
    queryFn: ({ signal }) => unwrap(api.GET("/api/auth/password-reset", { signal })),
    staleTime: Infinity,
  });
}

export function useAskPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => unwrap(api.POST("/api/auth/password-reset", { body: { email } })),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      unwrap(api.POST("/api/auth/password-reset/confirm", { body })),
  });
}
