// The routes of the SPA (real paths: the server answers unknown paths with index.html).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { ApiError } from "./api/errors";
import { Layout } from "./components/Layout";
import { RequireAuth } from "./components/RequireAuth";
import { PageLoading } from "./components/PageState";
import { RouteError } from "./components/RouteError";
import { getToken, subscribe } from "./lib/auth";
import { ComparePage } from "./pages/ComparePage";
import { DeclarationPage } from "./pages/DeclarationPage";
import { DeclarationsPage } from "./pages/DeclarationsPage";
import { NewVersionPage } from "./pages/NewVersionPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { PasswordResetPage } from "./pages/PasswordResetPage";
import { SignInPage } from "./pages/SignInPage";

export const router = createBrowserRouter([
  { path: "/login", element: <SignInPage />, errorElement: <RouteError /> },
  { path: "/reset-password", element: <PasswordResetPage />, errorElement: <RouteError /> },
  // Public: anyone checks a signed declaration in the browser, without signing in.
  {
    path: "/verify",
    lazy: async () => ({ Component: (await import("./pages/VerifyPage")).VerifyPage }),
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageLoading what="Loading" />,
  },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageLoading what="Loading" />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to="/declarations" replace /> },
          { path: "declarations", element: <DeclarationsPage /> },
          { path: "declarations/:declarationId", element: <DeclarationPage /> },
          { path: "declarations/:declarationId/versions/:number", element: <DeclarationPage /> },
          { path: "declarations/:declarationId/compare", element: <ComparePage /> },
          { path: "declarations/:declarationId/new-version", element: <NewVersionPage /> },
          // Screens most people never open load on demand.
          {
            path: "declarations/:declarationId/desk",
            lazy: async () => ({ Component: (await import("./pages/DeskPage")).DeskPage }),
          },
          {
            path: "declarations/:declarationId/translations",
            lazy: async () => ({ Component: (await import("./pages/TranslationsPage")).TranslationsPage }),
          },
          {
            path: "admin",
            lazy: async () => ({ Component: (await import("./pages/AdminPage")).AdminPage }),
          },
          {
            path: "account",
            lazy: async () => ({ Component: (await import("./pages/AccountPage")).AccountPage }),
          },
          {
            path: "declarations/:declarationId/endorsement",
            lazy: async () => ({ Component: (await import("./pages/EndorsementPage")).EndorsementPage }),
          },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal (4xx) will not change by asking again; a network or server failure might.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

const queryClient = makeQueryClient();

export function App() {
  // What one user saw is not kept for the next one who signs in on this browser.
  useEffect(() => subscribe(() => getToken() === null && queryClient.clear()), []);
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
