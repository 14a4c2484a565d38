// Shows its routes only to a signed-in user; otherwise goes to /login and comes back after.
import { Navigate, Outlet, useLocation } from "react-router";
import { useAuthToken } from "../lib/auth";

export function RequireAuth() {
  const token = useAuthToken();
  const location = useLocation();
  if (!token) {
    const from = location.pathname + location.search + location.hash;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  return <Outlet />;
}
