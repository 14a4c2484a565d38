import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ConfirmAction } from "./ConfirmAction";

describe("ConfirmAction", () => {
  it("asks in the page (never the browser's confirm) before it acts", async () => {
    const onConfirm = vi.fn();
    const browserConfirm = vi.spyOn(window, "confirm");
    render(
      <ConfirmAction
        label="Withdraw our proposal"
        buttonClassName="button-small button-danger"
        danger
        question={<p>Withdraw amendment 7? This cannot be undone.</p>}
        confirmLabel="Yes, withdraw it"
        busyLabel="Withdrawing…"
        busy={false}
        onConfirm={onConfirm}
      />,
    );
    const first = screen.getByRole("button", { name: "Withdraw our proposal" });
    expect(first.className).toBe("button-small button-danger");
    await userEvent.click(first);
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByText("Withdraw amendment 7? This cannot be undone.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Yes, withdraw it" }));
    expect(onConfirm).toHaveBeenCalledOnce();
    expect(browserConfirm).not.toHaveBeenCalled();
  });
});
