import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { TrackedChangeEditor } from "./TrackedChangeEditor";

const ORIGINAL = "Cities welcome migrants and refugees.";

function Harness({ original = ORIGINAL, initial = ORIGINAL }: { original?: string; initial?: string }) {
  const [value, setValue] = useState(initial);
  return <TrackedChangeEditor original={original} value={value} onChange={setValue} label="New wording" />;
}

function redline() {
  return screen.getByTestId("tracked-redline");
}

describe("TrackedChangeEditor", () => {
  it("shows no change while the text is as it stands", () => {
    render(<Harness />);
    expect(screen.getByLabelText("New wording")).toHaveValue(ORIGINAL);
    expect(redline().querySelector("ins, del")).toBeNull();
    expect(screen.getByText("No change yet.")).toBeInTheDocument();
  });

  it("tracks insertions and deletions live, word by word, as the user types", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const box = screen.getByLabelText("New wording");
    await user.clear(box);
    await user.type(box, "Cities welcome migrants and asylum seekers.");
    const ins = [...redline().querySelectorAll("ins")].map((n) => n.textContent);
    const del = [...redline().querySelectorAll("del")].map((n) => n.textContent);
    expect(ins).toEqual(["asylum seekers"]);
    expect(del).toEqual(["refugees"]);
    // Accepting every change gives what was typed; rejecting them gives the original.
    const accepted = redline().cloneNode(true) as HTMLElement;
    accepted.querySelectorAll("del").forEach((n) => n.remove());
    expect(accepted.textContent).toBe("Cities welcome migrants and asylum seekers.");
    const rejected = redline().cloneNode(true) as HTMLElement;
    rejected.querySelectorAll("ins").forEach((n) => n.remove());
    expect(rejected.textContent).toBe(ORIGINAL);
    expect(screen.getByText("1 insertion and 1 deletion.")).toBeInTheDocument();
  });

  it("shows a new paragraph as one insertion", async () => {
    const user = userEvent.setup();
    render(<Harness original="" initial="" />);
    await user.type(screen.getByLabelText("New wording"), "A new paragraph.");
    expect(redline().querySelector("ins")).toHaveTextContent("A new paragraph.");
    expect(redline().querySelector("del")).toBeNull();
  });

  it("renders typed markup as text", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText("New wording"), " <b>bold</b>");
    expect(redline().querySelector("b")).toBeNull();
    expect(redline().querySelector("ins")?.textContent).toContain("<b>bold</b>");
  });
});
