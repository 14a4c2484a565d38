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
  reason: string;
}
export type Receipt = Schemas["Receipt"];
export type Signatory = Schemas["SignatoryOut"];
export type Checkpoint = Schemas["CheckpointOut"];
export type ImportResult = Schemas["ImportResult"];
export type UserUpdate = Schemas["UserUpdate"];
