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
