import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { CommentForm } from "./CommentForm";

// "𠮷" is one code point but two UTF-16 units: the offsets sent must count code points.
const TEXT = "東京都 𠮷野家 and the city and the city.";

function renderForm(onDone = vi.fn()) {
  const post = vi.spyOn(api, "POST").mockResolvedValue({ data: { id: 1 }, response: new Response(null, { status: 201 }) } as never);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <CommentForm declarationId={7} version={3} paragraphKey="k1" paragraphText={TEXT} onDone={onDone} />
    </QueryClientProvider>,
  );
  return { post, onDone };
}

describe("CommentForm, keyboard path to a quote", () => {
  it("finds typed words in the paragraph and sends their code point offsets", async () => {
    const user = userEvent.setup();
    const { post, onDone } = renderForm();
    await user.type(screen.getByLabelText("Words to comment on (optional)"), "野家");
    expect(screen.getByText("Found in the paragraph.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Comment"), "Which chain?");
    await user.click(screen.getByRole("button", { name: "Add comment" }));
    expect(post).toHaveBeenCalledWith("/api/declarations/{declaration_id}/comments", {
      params: { path: { declaration_id: 7 } },
      body: { version: 3, paragraph_key: "k1", body: "Which chain?", quote: { exact: "野家", start: 5, end: 7 } },
    });
    expect(onDone).toHaveBeenCalledWith("Your comment was added.");
  });

  it("lets the user choose among repeated words", async () => {
    const user = userEvent.setup();
    const { post } = renderForm();
    await user.type(screen.getByLabelText("Words to comment on (optional)"), "the city");
    await user.selectOptions(screen.getByLabelText("These words occur 2 times: which one?"), "1");
    await user.type(screen.getByLabelText("Comment"), "This one.");
    await user.click(screen.getByRole("button", { name: "Add comment" }));
    const quote = (post.mock.calls[0]?.[1] as unknown as { body: { quote: { start: number } } }).body.quote;
    expect(Array.from(TEXT).slice(quote.start, quote.start + 8).join("")).toBe("the city");
    expect(quote.start).toBe(Array.from(TEXT.slice(0, TEXT.lastIndexOf("the city"))).length);
  });

  it("says when the words are not in the paragraph, and sends nothing", async () => {
    const user = userEvent.setup();
    const { post } = renderForm();
    await user.type(screen.getByLabelText("Words to comment on (optional)"), "Mechelen");
    expect(screen.getByText("These words are not in the paragraph.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Comment"), "x");
    await user.click(screen.getByRole("button", { name: "Add comment" }));
    expect(post).not.toHaveBeenCalled();
  });
});
