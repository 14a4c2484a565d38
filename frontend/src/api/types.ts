// Short names for the schema's types, in the domain's words.
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Me = Schemas["Me"];
export type City = Schemas["CityOut"];
export type Role = Schemas["Role"];
export type Declaration = Schemas["DeclarationOut"];
export type DeclarationStatus = Declaration["status"];
export type VersionSummary = Schemas["VersionSummary"];
export type Version = Schemas["VersionOut"];
export type Paragraph = Schemas["ParagraphOut"];
export type Comparison = Schemas["Comparison"];
export type ComparedParagraph = Schemas["ComparedParagraph"];
export type DiffOp = ComparedParagraph["diff"][number];
export type VersionPreview = Schemas["VersionPreview"];
export type CityKind = City["kind"];
export type User = Schemas["UserOut"];
export type UserRef = Schemas["UserRef"];
export type Comment = Schemas["CommentOut"];
export type CommentQuote = Schemas["Quote"];
export type AnchorState = Schemas["AnchorOut"]["state"];
export type Amendment = Schemas["AmendmentOut"];
export type AmendmentDetail = Schemas["AmendmentDetail"];
export type AmendmentStatus = Amendment["status"];
export type AmendmentAction = Amendment["action"];
export type DecisionKind = Schemas["Decision"]["decision"];
export type Supporter = Schemas["SupporterOut"];
export type Edit = Schemas["Edit"];
export type VersionCreate = Schemas["VersionCreate"];

/** One refused amendment of a 409 `conflict` answer to a merge. */
export interface MergeConflict {
  amendment_id: number;
  paragraph_key: string | null;
  /** One plain sentence: what clashes, and with whom. */
  reason: string;
  /** The amendments earlier in this merge that changed the paragraph (empty: the clash is with the head). */
  competing_amendments?: number[];
  /** The paragraph in the head version (null when it is not there). */
  current_text?: string | null;
  /** The paragraph as the competing amendments make it (null when there are none). */
  competing_text?: string | null;
  /** The amendment's own wording (null for a deletion). */
  proposed_text?: string | null;
  /** The words of the amendment's base text both sides change ("" when both insert at one place). */
  clashing_words?: string;
}
export type CombinedChange = Schemas["CombinedChange"];
export type Receipt = Schemas["Receipt"];
export type Signatory = Schemas["SignatoryOut"];
export type Checkpoint = Schemas["CheckpointOut"];
export type ImportResult = Schemas["ImportResult"];
export type UserUpdate = Schemas["UserUpdate"];
export type WordImport = Schemas["DocumentImport"];
export type ImportedAmendment = Schemas["ImportedAmendment"];
export type ImportedComment = Schemas["ImportedComment"];
