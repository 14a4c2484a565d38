// What concerns me: my notices (newest first, with the unread count) and marking them read.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";
import type { components } from "./schema";

export type Notice = components["schemas"]["NotificationOut"];

export const notificationKeys = {
  all: ["me", "notifications"] as const,
};

/** The latest notices: refreshed every half minute, on focus, and when the live stream says so. */
export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.all,
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/me/notifications", { params: { query: { limit: 20, offset: 0 } }, signal })),
    refetchInterval: 30_000,
    enabled,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (which: { ids: number[] } | { all: true }) =>
      unwrap(
        api.POST("/api/me/notifications/read", {
          body: "all" in which ? { all: true } : { ids: which.ids, all: false },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
