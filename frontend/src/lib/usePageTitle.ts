// Sets the browser tab's title for the current screen.
import { useEffect } from "react";

export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Concord` : "Concord";
  }, [title]);
}
