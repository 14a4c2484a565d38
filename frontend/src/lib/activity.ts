// What is going on around each paragraph: its comment threads and the amendments to it, and how
// contested it is (how many cities propose changes to it).
import i18next from "i18next";
import type { Amendment, Comment } from "../api/types";

/** Amendments inserting a paragraph at the start of the text have no paragraph: this key. */
export const START = "";

export interface ParagraphActivity {
  /** Top-level comments (threads) on the paragraph, oldest first. */
  threads: Comment[];
  openThreads: number;
  /** Amendments to the paragraph, or inserting one after it. */
  amendments: Amendment[];
  openAmendments: number;
  /** Distinct cities with an open amendment to the paragraph. */
  cities: number;
}

export interface Activity {
  byParagraph: Map<string, ParagraphActivity>;
  /** Replies by the thread they answer, oldest first. */
  replies: Map<number, Comment[]>;
}

function empty(): ParagraphActivity {
  return { threads: [], openThreads: 0, amendments: [], openAmendments: 0, cities: 0 };
}

export function activityOf(comments: readonly Comment[], amendments: readonly Amendment[]): Activity {
  const byParagraph = new Map<string, ParagraphActivity>();
  const replies = new Map<number, Comment[]>();
  const at = (key: string) => {
    let found = byParagraph.get(key);
    if (!found) byParagraph.set(key, (found = empty()));
    return found;
  };
  for (const comment of comments) {
    if (comment.parent_id !== null) {
      const list = replies.get(comment.parent_id) ?? [];
      list.push(comment);
      replies.set(comment.parent_id, list);
      continue;
    }
    const activity = at(comment.paragraph_key);
    activity.threads.push(comment);
    if (comment.status === "open") activity.openThreads++;
  }
  const cities = new Map<string, Set<number>>();
  for (const amendment of amendments) {
    const key = amendment.paragraph_key ?? START;
    const activity = at(key);
    activity.amendments.push(amendment);
    if (amendment.open) {
      activity.openAmendments++;
      const set = cities.get(key) ?? new Set<number>();
      set.add(amendment.city.id);
      cities.set(key, set);
    }
  }
  for (const [key, set] of cities) at(key).cities = set.size;
  return { byParagraph, replies };
}

/** How contested a paragraph is, in the reader's words and as a level 0–3 for the margin's gauge. */
export function contestLevel(cities: number): { level: 0 | 1 | 2 | 3; words: string } {
  if (cities <= 0) return { level: 0, words: i18next.t("common.contest.none") };
  if (cities === 1) return { level: 1, words: i18next.t("common.contest.one") };
  if (cities <= 3) return { level: 2, words: i18next.t("common.contest.some", { count: cities }) };
  return { level: 3, words: i18next.t("common.contest.high", { count: cities }) };
}
